using Cairn.Core.Archive;
using Cairn.Core.Format;
using Cairn.Core.Platform;

namespace Cairn.Commands.Import;

/// <summary>
/// What one archive entry other than a directory became: its header and, for a file, the blobs of its content (a
/// sparse file's data extents one after another). Every name of a hard-link group refers to the same instance.
/// </summary>
internal sealed class ImportedInode(TarEntry header, IReadOnlyList<BlobId> content, IReadOnlyList<FileExtent>? extents)
{
    public TarEntry Header { get; } = header;

    public IReadOnlyList<BlobId> Content { get; } = content;

    /// <summary>A sparse file's data extents; null for a file stored whole and for other types.</summary>
    public IReadOnlyList<FileExtent>? Extents { get; } = extents;
}
