using Cairn.Core.Buffers;
using Cairn.Core.Format;

namespace Cairn.Core.Repository;

/// <summary>A pack being filled: sealed blobs appended to a pooled buffer, and their header entries.</summary>
internal sealed class OpenPack : IDisposable
{
    private byte[] _buffer;

    public OpenPack(int capacity)
    {
        _buffer = BufferPool.Shared.Rent(capacity);
    }

    public int Length { get; private set; }

    public List<PackEntry> Entries { get; } = [];

    public ReadOnlyMemory<byte> Content => _buffer.AsMemory(0, Length);

    public void Add(BlobId id, BlobType type, CompressionKind compression, ReadOnlySpan<byte> sealedBlob, int rawLength)
    {
        Append(sealedBlob);
        Entries.Add(new PackEntry(id, type, compression, (uint)(Length - sealedBlob.Length), (uint)sealedBlob.Length, (uint)rawLength));
    }

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
