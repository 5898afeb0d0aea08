using Cairn.Core.Buffers;
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
        var plain = new byte[entry.RawLength];
        OpenInto(keys, entry, sealedBytes, plain, where);
        return plain;
    }

    /// <summary>
    /// Opens a sealed blob into <paramref name="plain"/>, which must be exactly <see cref="PackEntry.RawLength"/>
    /// bytes, and checks that the plaintext hashes to the blob's ID. Allocates nothing for uncompressed blobs.
    /// </summary>
    /// <exception cref="RepositoryCorruptException">When anything does not match.</exception>
    public static void OpenInto(KeyRing keys, PackEntry entry, ReadOnlySpan<byte> sealedBytes, Span<byte> plain, string where)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Span<byte> ad = stackalloc byte[1 + Digest.Length];
        Associated(entry.Type, entry.Id, ad);
        if (sealedBytes.Length != entry.StoredLength || sealedBytes.Length < SealedBox.Overhead || plain.Length != entry.RawLength)
            throw new RepositoryCorruptException(where, $"blob {entry.Id.Digest.Short} has the wrong length");
        var box = keys.Box(DomainOf(entry.Type));
        var bodyLength = sealedBytes.Length - SealedBox.Overhead;
        switch (entry.Compression)
        {
            case CompressionKind.None:
                if (bodyLength != plain.Length || !box.TryOpen(sealedBytes, ad, plain))
                    throw new RepositoryCorruptException(where, $"blob {entry.Id.Digest.Short} failed authentication");
                break;
            case CompressionKind.Zstd:
                var body = BufferPool.Shared.Rent(bodyLength);
                try
                {
                    if (!box.TryOpen(sealedBytes, ad, body.AsSpan(0, bodyLength)))
                        throw new RepositoryCorruptException(where, $"blob {entry.Id.Digest.Short} failed authentication");
                    Zstd.Decompress(body.AsSpan(0, bodyLength), plain);
                }
                catch (Exception e) when (e is ZstdSharp.ZstdException or InvalidDataException)
                {
                    throw new RepositoryCorruptException(where, $"blob {entry.Id.Digest.Short} does not decompress", e);
                }
                finally
                {
                    BufferPool.Shared.Return(body);
                }
                break;
            default:
                throw new RepositoryCorruptException(where, $"blob {entry.Id.Digest.Short} has unknown compression {(byte)entry.Compression}");
        }
        if (keys.BlobIdOf(entry.Type, plain) != entry.Id)
            throw new RepositoryCorruptException(where, $"blob {entry.Id.Digest.Short} does not match its ID");
    }
}
