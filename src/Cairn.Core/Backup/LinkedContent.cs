using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Trees;

namespace Cairn.Core.Backup;

/// <summary>
/// What the later names of a hard-link group take from its first name's node, once it is saved: its content,
/// extents, attributes and flags, and the size and times that tell whether the file changed between the names.
/// </summary>
internal sealed record LinkedContent(long Size, PosixTime Mtime, PosixTime Ctime, IReadOnlyList<BlobId> Content,
    IReadOnlyList<ExtendedAttribute> Xattrs, IReadOnlyList<FileExtent>? Extents, uint Flags)
{
    /// <summary>What later names take from <paramref name="first"/>; null when the first name could not be read.</summary>
    public static LinkedContent? Of(Node? first) =>
        first is null ? null : new(first.Size, first.Mtime, first.Ctime, first.Content, first.Xattrs, first.Extents, first.Flags);
}
