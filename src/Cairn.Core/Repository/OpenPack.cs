using Cairn.Core.Buffers;
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

    /// <summary>True when blobs are sealed into <see cref="Region"/>; otherwise into a buffer of their own, then <see cref="Write"/>.</summary>
    public bool InMemory => _draft is null;

    /// <summary>Reserves room for one sealed blob and records its entry; returns the region's offset.</summary>
    public int Reserve(BlobId id, BlobType type, CompressionKind compression, int sealedLength, int rawLength)
    {
        if (InMemory && Length + sealedLength > _buffer.Length)
            throw new InvalidOperationException("a pack's buffer cannot grow while blobs are being written into it");
        var offset = Length;
        Length += sealedLength;
        _writers++;
        Entries.Add(new PackEntry(id, type, compression, (uint)offset, (uint)sealedLength, (uint)rawLength));
        return offset;
    }

    /// <summary>Where a reserved blob goes in a pack held in memory.</summary>
    public Span<byte> Region(int offset, int length) => _buffer.AsSpan(offset, length);

    /// <summary>Writes a sealed blob into its reserved region of a pack held in a draft.</summary>
    public void Write(int offset, ReadOnlySpan<byte> sealedBlob) => _draft!.Write(offset, sealedBlob);

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
        var hasher = Blake3.Hasher.New();
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
            return new PackId(new Digest(hasher.Finalize().AsSpan()));
        }
        finally
        {
            BufferPool.Shared.Return(piece);
            hasher.Dispose();
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
