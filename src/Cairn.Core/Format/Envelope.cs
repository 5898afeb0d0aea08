using Cairn.Core.Compression;
using Cairn.Core.Crypto;

namespace Cairn.Core.Format;

/// <summary>
/// The framing of every encrypted object that is not a blob: an 8-byte plaintext header
/// (<c>"CRN1"</c>, type, key domain, cipher suite, compression) followed by a sealed box whose associated data is
/// that header. See docs/FORMAT.md, "Envelopes".
/// </summary>
public static class Envelope
{
    /// <summary>Length of the plaintext header.</summary>
    public const int HeaderLength = 8;

    private static ReadOnlySpan<byte> Magic => "CRN1"u8;

    /// <summary>The key domain every envelope of a type is sealed with.</summary>
    public static KeyDomain DomainOf(EnvelopeType type) => type switch
    {
        EnvelopeType.SnapshotSummary => KeyDomain.SnapshotSummary,
        EnvelopeType.IdKeys => KeyDomain.Data,
        _ => KeyDomain.Metadata,
    };

    /// <summary>Seals <paramref name="payload"/>, compressing it with zstd when that makes it smaller.</summary>
    public static byte[] Seal(KeyRing keys, EnvelopeType type, KeyDomain domain, ReadOnlySpan<byte> payload, bool compress = true)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var compression = CompressionKind.None;
        byte[]? compressed = null;
        if (compress && payload.Length >= 128)
        {
            compressed = Zstd.Compress(payload, 3);
            if (compressed.Length < payload.Length)
                compression = CompressionKind.Zstd;
        }
        var body = compression == CompressionKind.Zstd ? compressed : payload;
        var result = new byte[HeaderLength + body.Length + SealedBox.Overhead];
        var header = result.AsSpan(0, HeaderLength);
        Magic.CopyTo(header);
        header[4] = (byte)type;
        header[5] = (byte)domain;
        header[6] = (byte)keys.Suite;
        header[7] = (byte)compression;
        keys.Box(domain).Seal(body, header, result.AsSpan(HeaderLength));
        return result;
    }

    /// <summary>Opens an envelope, checking its type, and returns the payload.</summary>
    /// <exception cref="RepositoryCorruptException">When the bytes are not a valid envelope of <paramref name="type"/> or fail authentication.</exception>
    public static byte[] Open(KeyRing keys, EnvelopeType type, ReadOnlySpan<byte> stored, string objectName)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (stored.Length < HeaderLength + SealedBox.Overhead || !stored[..4].SequenceEqual(Magic))
            throw new RepositoryCorruptException(objectName, "not a Cairn object (bad magic or too short)");
        var header = stored[..HeaderLength];
        if (header[4] != (byte)type)
            throw new RepositoryCorruptException(objectName, $"expected a {type} object, found type {header[4]}");
        if (header[6] != (byte)keys.Suite)
            throw new RepositoryCorruptException(objectName, $"cipher suite {header[6]} does not match the repository's");
        var domain = (KeyDomain)header[5];
        if (domain != DomainOf(type))
            throw new RepositoryCorruptException(objectName, $"a {type} object must be sealed with the {DomainOf(type)} key, not key domain {header[5]}");
        var compression = (CompressionKind)header[7];
        SealedBox box;
        try
        {
            box = keys.Box(domain);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new RepositoryCorruptException(objectName, $"unknown key domain {header[5]}");
        }
        var body = box.TryOpen(stored[HeaderLength..], header)
            ?? throw new RepositoryCorruptException(objectName, "authentication failed (the file was altered or damaged)");
        return compression switch
        {
            CompressionKind.None => body,
            CompressionKind.Zstd => DecompressOrThrow(body, objectName),
            _ => throw new RepositoryCorruptException(objectName, $"unknown compression {header[7]}"),
        };
    }

    private static byte[] DecompressOrThrow(byte[] body, string objectName)
    {
        try
        {
            return Zstd.Decompress(body);
        }
        catch (Exception e) when (e is ZstdSharp.ZstdException or InvalidDataException)
        {
            throw new RepositoryCorruptException(objectName, "compressed payload does not decompress", e);
        }
    }
}
