using Cairn.Core.Buffers;
using Cairn.Core.Compression;

namespace Cairn.Core.Export;

/// <summary>
/// A write-only stream that zstd-compresses what it is given in independent frames of a few MiB, one after
/// another (<c>zstd -d</c> reads concatenated frames as one stream), compressing on other threads while the
/// writer fills the next block, and writing the frames in order.
/// </summary>
public sealed class ZstdFrameStream : WriteOnlyStream
{
    private const int BlockSize = 4 << 20;
    private readonly Stream _inner;
    private readonly int _level;
    private readonly int _inFlight;
    private readonly Queue<Task<(byte[] Frame, int Length)>> _pending = new();
    private byte[] _block = BufferPool.Shared.Rent(BlockSize);
    private int _filled;

    /// <summary>Compresses at <paramref name="level"/> into <paramref name="inner"/>, up to <paramref name="inFlight"/> blocks at once.</summary>
    public ZstdFrameStream(Stream inner, int level, int inFlight)
    {
        _inner = inner;
        _level = level;
        _inFlight = Math.Max(1, inFlight);
    }

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (buffer.Length > 0)
        {
            var n = Math.Min(buffer.Length, BlockSize - _filled);
            buffer[..n].CopyTo(_block.AsMemory(_filled));
            _filled += n;
            buffer = buffer[n..];
            if (_filled == BlockSize)
                await SealBlockAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Compresses what is buffered and writes every frame out.</summary>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_filled > 0)
            await SealBlockAsync(cancellationToken).ConfigureAwait(false);
        while (_pending.Count > 0)
            await WriteFrameAsync(cancellationToken).ConfigureAwait(false);
        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask SealBlockAsync(CancellationToken ct)
    {
        var block = _block;
        var length = _filled;
        _block = BufferPool.Shared.Rent(BlockSize);
        _filled = 0;
        _pending.Enqueue(Task.Run(() =>
        {
            try
            {
                var frame = BufferPool.Shared.Rent(Zstd.Bound(length));
                return (frame, Zstd.CompressFrame(block.AsSpan(0, length), frame, _level));
            }
            finally
            {
                BufferPool.Shared.Return(block);
            }
        }, ct));
        while (_pending.Count >= _inFlight)
            await WriteFrameAsync(ct).ConfigureAwait(false);
    }

    private async ValueTask WriteFrameAsync(CancellationToken ct)
    {
        var (frame, length) = await _pending.Dequeue().ConfigureAwait(false);
        try
        {
            await _inner.WriteAsync(frame.AsMemory(0, length), ct).ConfigureAwait(false);
        }
        finally
        {
            BufferPool.Shared.Return(frame);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _block.Length > 0)
        {
            BufferPool.Shared.Return(_block);
            _block = [];
        }
        base.Dispose(disposing);
    }
}
