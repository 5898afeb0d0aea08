using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Trees;

namespace Cairn.Core.Backup;

/// <summary>
/// One read of a file: its content, the bytes read, its data extents (sparse files), its status right after, its flags
/// and extended attributes.
/// </summary>
internal sealed record FileRead(List<BlobId> Content, long Length, List<FileExtent>? Extents, FileStatus After, uint Flags,
    IReadOnlyList<ExtendedAttribute> Xattrs);
