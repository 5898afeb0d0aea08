using Cairn.Core.Buffers;
using Cairn.Core.Crypto;
using Cairn.Core.Format;
using Cairn.Storage;

namespace Cairn.Core.Repository;

/// <summary>
/// A pack being filled: sealed blobs written by workers into regions they reserved, and the header entries. The
/// regions lie in a draft of the pack: a file on the store when it keeps one (a local disk), else a spool file that
/// is uploaded when the pack is stored, so that a pack never sits in memory whole. Reserving, closing and finishing
/// a write are called under the caller's lock; writing into a reserved region is not. A closed pack is ready for
/// upload once no writer is left.
/// </summary>
internal sealed class OpenPack(IObjectDraft draft) : IDisposable
{
    private const int ReadBackLength = 1024 * 1024;
    private int _writers;
    private bool _closed;

    public int Length { get; private set; }

    public List<PackEntry> Entries { get; } = [];

    /// <summary>Reserves room for one sealed blob and records its entry; returns the region's offset.</summary>
    public int Reserve(BlobId id, BlobType type, CompressionKind compression, int sealedLength, int rawLength)
    {
        var offset = Length;
        Length += sealedLength;
        _writers++;
        Entries.Add(new PackEntry(id, type, compression, (uint)offset, (uint)sealedLength, (uint)rawLength));
        return offset;
    }

    /// <summary>
    /// Seals a blob into the region reserved at <paramref name="offset"/>. Its body lies in <paramref name="work"/> where
    /// a sealed box keeps it (at <see cref="SealedBox.NonceLength"/>): sealed in place and written from there into the draft.
    /// </summary>
    public void Seal(int offset, SealedBox box, ReadOnlySpan<byte> associated, Span<byte> work, int bodyLength)
    {
        var sealedLength = bodyLength + SealedBox.Overhead;
        box.Seal(work.Slice(SealedBox.NonceLength, bodyLength), associated, work[..sealedLength]);
        draft.Write(offset, work[..sealedLength]);
    }

    /// <summary>Ends one writer; true when the pack is closed and that was its last writer.</summary>
    public bool WriterDone() => --_writers == 0 && _closed;

    /// <summary>Takes no more blobs; true when no writer is left, so the pack is ready now.</summary>
    public bool Close()
    {
        _closed = true;
        return _writers == 0;
    }

    /// <summary>Appends bytes after the blobs (the header), once every writer is done.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        draft.Write(Length, bytes);
        Length += bytes.Length;
    }

    /// <summary>The pack's ID: the hash of its bytes, read back from the draft in pieces.</summary>
    public PackId Id()
    {
        using var hasher = new ContentHasher();
        var piece = BufferPool.Shared.Rent(ReadBackLength);
        try
        {
            for (var offset = 0; offset < Length;)
            {
                var n = Math.Min(piece.Length, Length - offset);
                draft.ReadExactly(offset, piece.AsSpan(0, n));
                hasher.Update(piece.AsSpan(0, n));
                offset += n;
            }
            return new PackId(hasher.Finish());
        }
        finally
        {
            BufferPool.Shared.Return(piece);
        }
    }

    /// <summary>Stores the finished pack under <paramref name="name"/> by committing its draft.</summary>
    public Task StoreAsync(ObjectName name, CancellationToken ct) => draft.CommitAsync(name, ct);

    public void Dispose() => draft.Dispose();
}
