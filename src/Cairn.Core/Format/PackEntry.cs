namespace Cairn.Core.Format;

/// <summary>Where one blob lives inside a pack and how it is stored.</summary>
/// <param name="Id">The blob's ID.</param>
/// <param name="Type">Data or tree.</param>
/// <param name="Compression">How the plaintext was compressed before sealing.</param>
/// <param name="Offset">Byte offset of the sealed blob in the pack.</param>
/// <param name="StoredLength">Length of the sealed blob (nonce, ciphertext, tag).</param>
/// <param name="RawLength">Length of the plaintext.</param>
public readonly record struct PackEntry(BlobId Id, BlobType Type, CompressionKind Compression, uint Offset, uint StoredLength, uint RawLength);
