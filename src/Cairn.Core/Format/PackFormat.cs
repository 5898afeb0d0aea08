using System.Buffers.Binary;
using Cairn.Core.Crypto;

namespace Cairn.Core.Format;

/// <summary>
/// The layout of a pack file: sealed blobs, then the header envelope, a key slot (empty in version 1;
/// reserved for a per-pack key wrapped to public-key recipients), and a 10-byte trailer
/// (<c>u16 key-slot length, u32 header length, "CPK1"</c>). See docs/FORMAT.md, "Packs".
/// </summary>
public static class PackFormat
{
    /// <summary>Length of the fixed trailer at the end of every pack.</summary>
    public const int TrailerLength = 10;
    /// <summary>Length of one header entry.</summary>
    public const int EntryLength = 42;

    private static ReadOnlySpan<byte> Magic => "CPK1"u8;

    /// <summary>The bytes <see cref="EncodeTail"/> appends for a pack of <paramref name="entries"/> blobs.</summary>
    public static int TailLength(int entries) => Envelope.HeaderLength + SealedBox.Overhead + 5 + entries * EntryLength + TrailerLength;

    /// <summary>Encodes the header payload and the trailer for the given entries.</summary>
    public static byte[] EncodeTail(KeyRing keys, IReadOnlyList<PackEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(entries);
        var payload = new byte[5 + entries.Count * EntryLength];
        payload[0] = 1; // header version
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(1), (uint)entries.Count);
        var span = payload.AsSpan(5);
        foreach (var e in entries)
        {
            span[0] = (byte)e.Type;
            span[1] = (byte)e.Compression;
            e.Id.Digest.CopyTo(span[2..]);
            BinaryPrimitives.WriteUInt32LittleEndian(span[34..], e.StoredLength);
            BinaryPrimitives.WriteUInt32LittleEndian(span[38..], e.RawLength);
            span = span[EntryLength..];
        }
        var header = Envelope.Seal(keys, EnvelopeType.PackHeader, KeyDomain.Metadata, payload, compress: false);
        var tail = new byte[header.Length + TrailerLength];
        header.CopyTo(tail, 0);
        var trailer = tail.AsSpan(header.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(trailer, 0); // key slot length
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[2..], (uint)header.Length);
        Magic.CopyTo(trailer[6..]);
        return tail;
    }

    /// <summary>Reads the trailer: where the header envelope starts and how long it is.</summary>
    public static (long HeaderOffset, int HeaderLength) ParseTrailer(ReadOnlySpan<byte> trailer, long packLength, string packName)
    {
        if (packLength < TrailerLength || trailer.Length != TrailerLength || !trailer[6..].SequenceEqual(Magic))
            throw new RepositoryCorruptException(packName, "pack trailer is missing or damaged (truncated file?)");
        var keySlot = BinaryPrimitives.ReadUInt16LittleEndian(trailer);
        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(trailer[2..]);
        if (keySlot != 0)
            throw new RepositoryCorruptException(packName, "pack uses a per-pack key slot, which this version of Cairn cannot read");
        var offset = packLength - TrailerLength - keySlot - headerLength;
        if (headerLength < Envelope.HeaderLength + SealedBox.Overhead || offset < 0)
            throw new RepositoryCorruptException(packName, "pack header length is out of range");
        return (offset, (int)headerLength);
    }

    /// <summary>Decrypts and decodes a pack header, computing each blob's offset.</summary>
    public static List<PackEntry> DecodeHeader(KeyRing keys, ReadOnlySpan<byte> headerEnvelope, long headerOffset, string packName)
    {
        var payload = Envelope.Open(keys, EnvelopeType.PackHeader, headerEnvelope, packName);
        if (payload.Length < 5 || payload[0] != 1)
            throw new RepositoryCorruptException(packName, "unknown pack header version");
        var count = BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(1));
        if ((long)count * EntryLength != payload.Length - 5)
            throw new RepositoryCorruptException(packName, "pack header length does not match its entry count");
        var entries = new List<PackEntry>((int)count);
        var span = payload.AsSpan(5);
        long offset = 0;
        for (var i = 0; i < count; i++)
        {
            if (span[0] is not ((byte)BlobType.Data or (byte)BlobType.Tree) || span[1] > (byte)CompressionKind.Zstd)
                throw new RepositoryCorruptException(packName, $"pack header entry with unknown blob type {span[0]} or compression {span[1]}");
            var stored = BinaryPrimitives.ReadUInt32LittleEndian(span[34..]);
            entries.Add(new PackEntry(
                new BlobId(new Digest(span[2..])),
                (BlobType)span[0],
                (CompressionKind)span[1],
                (uint)offset,
                stored,
                BinaryPrimitives.ReadUInt32LittleEndian(span[38..])));
            offset += stored;
            span = span[EntryLength..];
        }
        if (offset != headerOffset)
            throw new RepositoryCorruptException(packName, "pack header does not describe the pack's contents");
        return entries;
    }
}
