using Cairn.Core.Platform;

namespace Cairn.Core.Export;

/// <summary>
/// A write-only stream that turns a sparse file's data (its extents' bytes one after another) into the whole
/// file, writing zeros where the holes are; <see cref="FinishAsync"/> adds the holes after the last extent.
/// </summary>
public sealed class HoleFillingStream : WriteOnlyStream
{
    private static readonly byte[] Zeros = new byte[1 << 16];
    private readonly Stream _inner;
    private readonly IReadOnlyList<FileExtent> _extents;
    private readonly long _size;
    private int _extent;
    private long _written, _inExtent;

    /// <summary>Wraps <paramref name="inner"/> for a file of <paramref name="size"/> bytes with the given data ranges.</summary>
    public HoleFillingStream(Stream inner, IReadOnlyList<FileExtent> extents, long size)
    {
        _inner = inner;
        _extents = extents;
        _size = size;
    }

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (buffer.Length > 0)
        {
            while (_extent < _extents.Count && _inExtent == _extents[_extent].Length)
            {
                _extent++;
                _inExtent = 0;
            }
            if (_extent == _extents.Count)
                throw new InvalidOperationException("more data than the extents hold");
            var extent = _extents[_extent];
            await ZerosAsync(extent.Offset - _written, cancellationToken).ConfigureAwait(false);
            var n = (int)Math.Min(buffer.Length, extent.Length - _inExtent);
            await _inner.WriteAsync(buffer[..n], cancellationToken).ConfigureAwait(false);
            _written += n;
            _inExtent += n;
            buffer = buffer[n..];
        }
    }

    /// <summary>Writes the zeros after the last data.</summary>
    public ValueTask FinishAsync(CancellationToken ct) => ZerosAsync(_size - _written, ct);

    private async ValueTask ZerosAsync(long count, CancellationToken ct)
    {
        while (count > 0)
        {
            var n = (int)Math.Min(count, Zeros.Length);
            await _inner.WriteAsync(Zeros.AsMemory(0, n), ct).ConfigureAwait(false);
            _written += n;
            count -= n;
        }
    }

    /// <inheritdoc/>
    public override long Length => _written;
    /// <inheritdoc/>
    public override long Position { get => _written; set => throw new NotSupportedException(); }
    /// <inheritdoc/>
    public override void Flush() => _inner.Flush();
}
