using Cairn.Core.Platform;
using Cairn.Core.Trees;

namespace Cairn.Core.Export;

/// <summary>
/// One entry of an export archive: a node of the snapshot under its path in the archive. For a regular file,
/// <see cref="Extents"/> says which ranges of its <see cref="Size"/> bytes hold data (the rest are holes), and the
/// content written for it is those ranges' bytes one after another (<see cref="StoredLength"/> of them). A file
/// split over volumes is several members, each a part of it.
/// </summary>
/// <param name="Path">The path inside the archive, raw bytes, relative, without a trailing slash.</param>
/// <param name="Node">The snapshot's node: type, owner, mode, times, attributes.</param>
/// <param name="HardLinkTo">For a further name of a hard-link group, the path of the member that carries the content.</param>
/// <param name="Size">The file's (or part's) length, holes included.</param>
/// <param name="Extents">The data ranges, in order; for a file without holes, one range over all of it.</param>
public sealed record ArchiveMember(byte[] Path, Node Node, byte[]? HardLinkTo, long Size, IReadOnlyList<FileExtent> Extents)
{
    /// <summary>The number of content bytes the archive stores for it.</summary>
    public long StoredLength => Extents.Sum(e => e.Length);

    /// <summary>True when the member has holes that the archive records as such.</summary>
    public bool IsSparse => StoredLength < Size;

    /// <summary>A member for a node, whole.</summary>
    public static ArchiveMember For(byte[] path, Node node, byte[]? hardLinkTo = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Kind != FileKind.File || hardLinkTo is not null)
            return new ArchiveMember(path, node, hardLinkTo, 0, []);
        IReadOnlyList<FileExtent> extents = node.Extents ?? (node.Size > 0 ? [new FileExtent(0, node.Size)] : []);
        return new ArchiveMember(path, node, null, node.Size, extents);
    }
}
