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
    /// Opens a sealed blob where it lies, decrypting its body over the ciphertext in <paramref name="sealedBytes"/>,
    /// and checks that the plaintext hashes to the blob's ID. An uncompressed blob's plaintext is that body, in
    /// place; a compressed one is decompressed into an array from <see cref="BufferPool"/>, handed back in
    /// <paramref name="rented"/> for the caller to return (null when nothing was rented). Against
    /// <see cref="OpenInto"/>: no buffer for the decrypted body, and none at all for data that did not compress.
    /// </summary>
    /// <exception cref="RepositoryCorruptException">When anything does not match (nothing is left rented then).</exception>
    public static Memory<byte> OpenInPlace(KeyRing keys, PackEntry entry, Memory<byte> sealedBytes, string where, out byte[]? rented)
    {
        ArgumentNullException.ThrowIfNull(keys);
        rented = null;
        if (sealedBytes.Length != entry.StoredLength || sealedBytes.Length < SealedBox.Overhead)
            throw new RepositoryCorruptException(where, $"blob {entry.Id.Digest.Short} has the wrong length");
        var body = sealedBytes.Slice(SealedBox.NonceLength, sealedBytes.Length - SealedBox.Overhead);
        if (entry.Compression == CompressionKind.None && body.Length != entry.RawLength)
            throw new RepositoryCorruptException(where, $"blob {entry.Id.Digest.Short} failed authentication");
        if (entry.Compression is not (CompressionKind.None or CompressionKind.Zstd))
            throw new RepositoryCorruptException(where, $"blob {entry.Id.Digest.Short} has unknown compression {(byte)entry.Compression}");
        Span<byte> ad = stackalloc byte[1 + Digest.Length];
        Associated(entry.Type, entry.Id, ad);
        if (!keys.Box(DomainOf(entry.Type)).TryOpenInPlace(sealedBytes.Span, ad))
            throw new RepositoryCorruptException(where, $"blob {entry.Id.Digest.Short} failed authentication");
        if (entry.Compression == CompressionKind.None)
        {
            Verify(keys, entry, body.Span, where);
            return body;
        }
        var plain = BufferPool.Shared.Rent((int)entry.RawLength);
        try
        {
            try
            {
                Zstd.Decompress(body.Span, plain.AsSpan(0, (int)entry.RawLength));
            }
            catch (Exception e) when (e is ZstdSharp.ZstdException or InvalidDataException)
            {
                throw new RepositoryCorruptException(where, $"blob {entry.Id.Digest.Short} does not decompress", e);
            }
            Verify(keys, entry, plain.AsSpan(0, (int)entry.RawLength), where);
        }
        catch
        {
            BufferPool.Shared.Return(plain);
            throw;
        }
        rented = plain;
        return plain.AsMemory(0, (int)entry.RawLength);
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
        Verify(keys, entry, plain, where);
    }

    private static void Verify(KeyRing keys, PackEntry entry, ReadOnlySpan<byte> plain, string where)
    {
        if (keys.BlobIdOf(entry.Type, plain) != entry.Id)
            throw new RepositoryCorruptException(where, $"blob {entry.Id.Digest.Short} does not match its ID");
    }
}
