using Cairn.Core.Buffers;
using Cairn.Core.Format;

namespace Cairn.Core.Repository;

/// <summary>
/// A pack being filled: sealed blobs written by workers into regions they reserved in a pooled buffer, and the
/// header entries. Reserving, closing and finishing a write are called under the caller's lock; writing into a
/// reserved region is not. A closed pack is ready for upload once no writer is left in it.
/// </summary>
internal sealed class OpenPack : IDisposable
{
    private byte[] _buffer;
    private int _writers;
    private bool _closed;

    public OpenPack(int capacity)
    {
        _buffer = BufferPool.Shared.Rent(capacity);
    }

    public int Length { get; private set; }

    public List<PackEntry> Entries { get; } = [];

    public ReadOnlyMemory<byte> Content => _buffer.AsMemory(0, Length);

    /// <summary>Reserves room for one sealed blob and records its entry; returns the region's offset.</summary>
    public int Reserve(BlobId id, BlobType type, CompressionKind compression, int sealedLength, int rawLength)
    {
        if (Length + sealedLength > _buffer.Length)
            throw new InvalidOperationException("a pack's buffer cannot grow while blobs are being written into it");
        var offset = Length;
        Length += sealedLength;
        _writers++;
        Entries.Add(new PackEntry(id, type, compression, (uint)offset, (uint)sealedLength, (uint)rawLength));
        return offset;
    }

    /// <summary>Where a reserved blob goes.</summary>
    public Span<byte> Region(int offset, int length) => _buffer.AsSpan(offset, length);

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

    public void Dispose()
    {
        BufferPool.Shared.Return(_buffer);
        _buffer = [];
    }
}
