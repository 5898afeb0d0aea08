using System.Buffers.Binary;
using Cairn.Core.Crypto;

namespace Cairn.Core.Format;

/// <summary>
/// Index files (<c>index/ID</c>): which blobs each pack holds, so that nothing needs to read pack headers
/// to find a blob. Payload: version byte 1, u32 pack count, then per pack its 32-byte ID, u32 entry count
/// and entries of 46 bytes (type, compression, blob ID, u32 offset, u32 stored length, u32 raw length).
/// </summary>
public static class IndexFormat
{
    private const int EntryLength = 46;

    /// <summary>Encodes and seals an index file.</summary>
    public static byte[] Encode(KeyRing keys, IReadOnlyList<(PackId Pack, IReadOnlyList<PackEntry> Entries)> packs)
    {
        ArgumentNullException.ThrowIfNull(packs);
        var length = 5L;
        foreach (var (_, entries) in packs)
            length += Digest.Length + 4 + (long)entries.Count * EntryLength;
        var payload = new byte[length];
        payload[0] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(1), (uint)packs.Count);
        var span = payload.AsSpan(5);
        foreach (var (pack, entries) in packs)
        {
            pack.Digest.CopyTo(span);
            BinaryPrimitives.WriteUInt32LittleEndian(span[32..], (uint)entries.Count);
            span = span[36..];
            foreach (var e in entries)
            {
                span[0] = (byte)e.Type;
                span[1] = (byte)e.Compression;
                e.Id.Digest.CopyTo(span[2..]);
                BinaryPrimitives.WriteUInt32LittleEndian(span[34..], e.Offset);
                BinaryPrimitives.WriteUInt32LittleEndian(span[38..], e.StoredLength);
                BinaryPrimitives.WriteUInt32LittleEndian(span[42..], e.RawLength);
                span = span[EntryLength..];
            }
        }
        return Envelope.Seal(keys, EnvelopeType.Index, KeyDomain.Metadata, payload, compress: false);
    }

    /// <summary>Opens and decodes an index file, calling <paramref name="onPack"/> for each pack.</summary>
    public static void Decode(KeyRing keys, ReadOnlySpan<byte> stored, string name, Action<PackId, List<PackEntry>> onPack)
    {
        ArgumentNullException.ThrowIfNull(onPack);
        var payload = Envelope.Open(keys, EnvelopeType.Index, stored, name);
        try
        {
            if (payload.Length < 5 || payload[0] != 1)
                throw new RepositoryCorruptException(name, "unknown index version or truncated index");
            var count = BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(1));
            var span = new ReadOnlySpan<byte>(payload, 5, payload.Length - 5);
            for (var p = 0; p < count; p++)
            {
                var pack = new PackId(new Digest(span));
                var n = BinaryPrimitives.ReadUInt32LittleEndian(span[32..]);
                span = span[36..];
                var entries = new List<PackEntry>((int)Math.Min(n, 100_000));
                for (var i = 0; i < n; i++)
                {
                    if (span[0] is not ((byte)BlobType.Data or (byte)BlobType.Tree) || span[1] > (byte)CompressionKind.Zstd)
                        throw new RepositoryCorruptException(name, $"index entry with unknown blob type {span[0]} or compression {span[1]}");
                    entries.Add(new PackEntry(
                        new BlobId(new Digest(span[2..])),
                        (BlobType)span[0],
                        (CompressionKind)span[1],
                        BinaryPrimitives.ReadUInt32LittleEndian(span[34..]),
                        BinaryPrimitives.ReadUInt32LittleEndian(span[38..]),
                        BinaryPrimitives.ReadUInt32LittleEndian(span[42..])));
                    span = span[EntryLength..];
                }
                onPack(pack, entries);
            }
            if (!span.IsEmpty)
                throw new RepositoryCorruptException(name, "index has trailing bytes");
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException)
        {
            throw new RepositoryCorruptException(name, "index is truncated", e);
        }
    }
}
