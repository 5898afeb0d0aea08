using Cairn.Core.Compression;
using Cairn.Core.Crypto;

namespace Cairn.Core.Format;

/// <summary>
/// Seals and opens single blobs. The associated data is the blob's type byte and ID, so a blob cannot be
/// passed off as another; data blobs use the data key, trees the metadata key.
/// </summary>
public static class BlobCodec
{
    /// <summary>The key domain of a blob type.</summary>
    public static KeyDomain DomainOf(BlobType type) => type == BlobType.Tree ? KeyDomain.Metadata : KeyDomain.Data;

    /// <summary>Writes the associated data of a blob (33 bytes) into <paramref name="destination"/>.</summary>
    public static void Associated(BlobType type, BlobId id, Span<byte> destination)
    {
        destination[0] = (byte)type;
        id.Digest.CopyTo(destination[1..]);
    }

    /// <summary>Opens a sealed blob, decompresses it and checks that its plaintext hashes to its ID.</summary>
    /// <exception cref="RepositoryCorruptException">When anything does not match.</exception>
    public static byte[] Open(KeyRing keys, PackEntry entry, ReadOnlySpan<byte> sealedBytes, string where)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Span<byte> ad = stackalloc byte[1 + Digest.Length];
        Associated(entry.Type, entry.Id, ad);
        if (sealedBytes.Length != entry.StoredLength || sealedBytes.Length < SealedBox.Overhead)
            throw new RepositoryCorruptException(where, $"blob {entry.Id.Digest.Short} has the wrong length");
        var body = new byte[sealedBytes.Length - SealedBox.Overhead];
        if (!keys.Box(DomainOf(entry.Type)).TryOpen(sealedBytes, ad, body))
            throw new RepositoryCorruptException(where, $"blob {entry.Id.Digest.Short} failed authentication");
        byte[] plain;
        switch (entry.Compression)
        {
            case CompressionKind.None:
                plain = body;
                break;
            case CompressionKind.Zstd:
                plain = new byte[entry.RawLength];
                try
                {
                    Zstd.Decompress(body, plain);
                }
                catch (Exception e) when (e is ZstdSharp.ZstdException or InvalidDataException)
                {
                    throw new RepositoryCorruptException(where, $"blob {entry.Id.Digest.Short} does not decompress", e);
                }
                break;
            default:
                throw new RepositoryCorruptException(where, $"blob {entry.Id.Digest.Short} has unknown compression {(byte)entry.Compression}");
        }
        if (plain.Length != entry.RawLength || keys.BlobIdOf(plain) != entry.Id)
            throw new RepositoryCorruptException(where, $"blob {entry.Id.Digest.Short} does not match its ID");
        return plain;
    }
}
