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
        CheckShape(entry, sealedBytes.Length, where);
        Span<byte> ad = stackalloc byte[1 + Digest.Length];
        Associated(entry.Type, entry.Id, ad);
        if (!keys.Box(DomainOf(entry.Type)).TryOpenInPlace(sealedBytes.Span, ad))
            throw Damaged(entry, where, "failed authentication");
        var body = sealedBytes.Slice(SealedBox.NonceLength, sealedBytes.Length - SealedBox.Overhead);
        if (entry.Compression == CompressionKind.None)
        {
            Verify(keys, entry, body.Span, where);
            return body;
        }
        var plain = BufferPool.Shared.Rent((int)entry.RawLength);
        try
        {
            Decompress(entry, body.Span, plain.AsSpan(0, (int)entry.RawLength), where);
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
        if (plain.Length != entry.RawLength)
            throw Damaged(entry, where, "has the wrong length");
        CheckShape(entry, sealedBytes.Length, where);
        Span<byte> ad = stackalloc byte[1 + Digest.Length];
        Associated(entry.Type, entry.Id, ad);
        var box = keys.Box(DomainOf(entry.Type));
        if (entry.Compression == CompressionKind.None)
        {
            if (!box.TryOpen(sealedBytes, ad, plain))
                throw Damaged(entry, where, "failed authentication");
        }
        else
        {
            var bodyLength = sealedBytes.Length - SealedBox.Overhead;
            var body = BufferPool.Shared.Rent(bodyLength);
            try
            {
                if (!box.TryOpen(sealedBytes, ad, body.AsSpan(0, bodyLength)))
                    throw Damaged(entry, where, "failed authentication");
                Decompress(entry, body.AsSpan(0, bodyLength), plain, where);
            }
            finally
            {
                BufferPool.Shared.Return(body);
            }
        }
        Verify(keys, entry, plain, where);
    }

    /// <summary>What can be told wrong before opening: the sealed length, the compression, an uncompressed body's length.</summary>
    private static void CheckShape(PackEntry entry, int sealedLength, string where)
    {
        if (sealedLength != entry.StoredLength || sealedLength < SealedBox.Overhead)
            throw Damaged(entry, where, "has the wrong length");
        if (entry.Compression == CompressionKind.None && sealedLength - SealedBox.Overhead != entry.RawLength)
            throw Damaged(entry, where, "failed authentication");
        if (entry.Compression is not (CompressionKind.None or CompressionKind.Zstd))
            throw Damaged(entry, where, $"has unknown compression {(byte)entry.Compression}");
    }

    private static void Decompress(PackEntry entry, ReadOnlySpan<byte> body, Span<byte> plain, string where)
    {
        try
        {
            Zstd.Decompress(body, plain);
        }
        catch (Exception e) when (e is ZstdSharp.ZstdException or InvalidDataException)
        {
            throw Damaged(entry, where, "does not decompress", e);
        }
    }

    private static void Verify(KeyRing keys, PackEntry entry, ReadOnlySpan<byte> plain, string where)
    {
        if (keys.BlobIdOf(entry.Type, plain) != entry.Id)
            throw Damaged(entry, where, "does not match its ID");
    }

    private static RepositoryCorruptException Damaged(PackEntry entry, string where, string what, Exception? inner = null) =>
        new(where, $"blob {entry.Id.Digest.Short} {what}", inner);
}
