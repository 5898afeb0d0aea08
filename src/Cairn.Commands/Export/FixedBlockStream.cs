using Cairn.Core.Export;

namespace Cairn.Commands.Export;

/// <summary>
/// A write-only stream that passes data on in writes of exactly one block each (what a tape drive needs); the
/// last, shorter block goes out on <see cref="FlushAsync"/>.
/// </summary>
public sealed class FixedBlockStream(Stream inner, int blockSize) : WriteOnlyStream
{
    private readonly byte[] _block = new byte[blockSize];
    private int _filled;

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (buffer.Length > 0)
        {
            var n = Math.Min(buffer.Length, _block.Length - _filled);
            buffer[..n].CopyTo(_block.AsMemory(_filled));
            _filled += n;
            buffer = buffer[n..];
            if (_filled == _block.Length)
            {
                await inner.WriteAsync(_block, cancellationToken).ConfigureAwait(false);
                _filled = 0;
            }
        }
    }

    /// <inheritdoc/>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_filled > 0)
        {
            await inner.WriteAsync(_block.AsMemory(0, _filled), cancellationToken).ConfigureAwait(false);
            _filled = 0;
        }
        await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
