using Cairn.Core.Format;

namespace Cairn.Core.Repository;

/// <summary>
/// Where a blob is, as held in memory: 20 bytes beside its 32-byte ID (the pack is an ordinal into the
/// index's pack table rather than a 32-byte ID).
/// </summary>
public readonly record struct IndexEntry(int PackOrdinal, uint Offset, uint StoredLength, uint RawLength, BlobType Type, CompressionKind Compression);
