using Cairn.Core.Platform;
using Cairn.Core.Trees;

namespace Cairn.Core.Export;

/// <summary>What each archive format cannot carry of a node's metadata.</summary>
public static class FormatLimits
{
    /// <summary>Descriptions of what <paramref name="format"/> loses of <paramref name="node"/>.</summary>
    public static IEnumerable<string> Lost(ExportFormat format, Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Kind == FileKind.Socket)
            yield return "sockets (no archive format holds one)";
        if (node.Flags != 0)
            yield return "chattr flags";
        if (format == ExportFormat.Pax)
            yield break;
        if (node.Xattrs.Any(x => !x.IsAcl))
            yield return "extended attributes";
        if (node.Xattrs.Any(x => x.IsAcl))
            yield return "POSIX ACLs";
        if (format == ExportFormat.Gnu)
        {
            if (node.Mtime.Nanoseconds != 0 || node.Atime.Nanoseconds != 0)
                yield return "sub-second times";
            yield break;
        }
        if (node.Kind is FileKind.Fifo or FileKind.CharDevice or FileKind.BlockDevice)
            yield return "FIFOs and device files";
        if (node.Uid != 0 || node.Gid != 0 || node.User is not null)
            yield return "owners";
        if (node.Kind == FileKind.File && node.Links > 1)
            yield return "hard links (stored as copies)";
        if (node.Extents is not null)
            yield return "sparse holes (stored as zeros)";
        if (node.Kind != FileKind.Directory && (node.Mtime.Nanoseconds != 0 || node.Mtime.Seconds % 2 != 0))
            yield return "times finer than two seconds";
    }
}
