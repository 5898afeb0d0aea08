using Cairn.Core.Buffers;
using Cairn.Core.Crypto;
using Cairn.Core.Format;
using Cairn.Storage;

namespace Cairn.Core.Repository;

/// <summary>
/// A pack being filled: sealed blobs written by workers into regions they reserved, and the header entries. The
/// regions lie in a draft of the pack on the store when it keeps one (a file on a local disk, so that a pack never
/// sits in memory whole), else in a pooled buffer. Reserving, closing and finishing a write are called under the
/// caller's lock; writing into a reserved region is not. A closed pack is ready for upload once no writer is left.
/// </summary>
internal sealed class OpenPack : IDisposable
{
    private const int ReadBackLength = 1024 * 1024;
    private readonly IObjectDraft? _draft;
    private byte[] _buffer;
    private int _writers;
    private bool _closed;

    /// <summary>A pack in <paramref name="draft"/>, or in a buffer of <paramref name="capacity"/> bytes when there is none.</summary>
    public OpenPack(int capacity, IObjectDraft? draft)
    {
        _draft = draft;
        _buffer = draft is null ? BufferPool.Shared.Rent(capacity) : [];
    }

    public int Length { get; private set; }

    public List<PackEntry> Entries { get; } = [];

    /// <summary>Reserves room for one sealed blob and records its entry; returns the region's offset.</summary>
    public int Reserve(BlobId id, BlobType type, CompressionKind compression, int sealedLength, int rawLength)
    {
        if (_draft is null && Length + sealedLength > _buffer.Length)
            throw new InvalidOperationException("a pack's buffer cannot grow while blobs are being written into it");
        var offset = Length;
        Length += sealedLength;
        _writers++;
        Entries.Add(new PackEntry(id, type, compression, (uint)offset, (uint)sealedLength, (uint)rawLength));
        return offset;
    }

    /// <summary>
    /// Seals a blob into the region reserved at <paramref name="offset"/>. Its body lies in <paramref name="work"/> where
    /// a sealed box keeps it (at <see cref="SealedBox.NonceLength"/>): sealed straight into a buffer held in memory, or
    /// in place in <paramref name="work"/> and written from there into the draft.
    /// </summary>
    public void Seal(int offset, SealedBox box, ReadOnlySpan<byte> associated, Span<byte> work, int bodyLength)
    {
        var body = work.Slice(SealedBox.NonceLength, bodyLength);
        var sealedLength = bodyLength + SealedBox.Overhead;
        if (_draft is null)
        {
            box.Seal(body, associated, _buffer.AsSpan(offset, sealedLength));
            return;
        }
        box.Seal(body, associated, work[..sealedLength]);
        _draft.Write(offset, work[..sealedLength]);
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
        if (_draft is not null)
        {
            _draft.Write(Length, bytes);
            Length += bytes.Length;
            return;
        }
        if (Length + bytes.Length > _buffer.Length)
        {
            var bigger = BufferPool.Shared.Rent(Math.Max(_buffer.Length * 2, Length + bytes.Length));
            _buffer.AsSpan(0, Length).CopyTo(bigger);
            BufferPool.Shared.Return(_buffer);
            _buffer = bigger;
        }
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    /// <summary>The pack's ID: the hash of its bytes, read back from the draft in pieces when it has one.</summary>
    public PackId Id()
    {
        if (_draft is null)
            return new PackId(Digest.OfContent(_buffer.AsSpan(0, Length)));
        using var hasher = new ContentHasher();
        var piece = BufferPool.Shared.Rent(ReadBackLength);
        try
        {
            for (var offset = 0; offset < Length;)
            {
                var n = _draft.Read(offset, piece.AsSpan(0, Math.Min(piece.Length, Length - offset)));
                if (n == 0)
                    throw new IOException($"a pack's draft ended at {offset} of {Length} bytes");
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

    /// <summary>Stores the finished pack under <paramref name="name"/>: commits the draft, or writes the buffer.</summary>
    public Task StoreAsync(IStorage storage, ObjectName name, CancellationToken ct) =>
        _draft is not null ? _draft.CommitAsync(name, ct) : storage.WriteAsync(name, _buffer.AsMemory(0, Length), ct);

    public void Dispose()
    {
        _draft?.Dispose();
        if (_buffer.Length > 0)
            BufferPool.Shared.Return(_buffer);
        _buffer = [];
    }
}
