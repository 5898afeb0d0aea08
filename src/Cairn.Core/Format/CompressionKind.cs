namespace Cairn.Core.Format;

/// <summary>How a stored blob or object payload is compressed.</summary>
public enum CompressionKind : byte
{
    /// <summary>Stored as is.</summary>
    None = 0,
    /// <summary>A zstd frame.</summary>
    Zstd = 1,
}
