namespace Cairn.Core.Archive;

/// <summary>How a tar archive given to import is compressed, as told by its first bytes.</summary>
public enum ArchiveCompression
{
    /// <summary>Not compressed.</summary>
    None,
    /// <summary>gzip (one or more members).</summary>
    Gzip,
    /// <summary>zstd (one or more frames).</summary>
    Zstd,
}
