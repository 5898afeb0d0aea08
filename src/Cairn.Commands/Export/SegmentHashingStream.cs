using Cairn.Core.Export;
using System.Security.Cryptography;

namespace Cairn.Commands.Export;

/// <summary>
/// A write-only pass-through stream that counts what passes and, when <paramref name="hash"/>, keeps a SHA-256 of
/// every 1 MiB segment, so that a volume read back can be compared with what was written and a difference located.
/// </summary>
public sealed class SegmentHashingStream(Stream inner, bool hash) : WriteOnlyStream
{
    /// <summary>The length of a hashed segment.</summary>
    public const int SegmentSize = 1 << 20;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly List<byte[]> _segments = [];
    private long _count;

    /// <summary>Bytes written.</summary>
    public long Count => _count;

    /// <summary>The segments' hashes, the last one partial (after <see cref="Seal"/>).</summary>
    public IReadOnlyList<byte[]> Segments => _segments;

    /// <summary>Ends the last segment.</summary>
    public void Seal()
    {
        if (hash && (_count % SegmentSize != 0 || _count == 0))
            _segments.Add(_hash.GetHashAndReset());
    }

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        Hash(buffer.Span);
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Write(buffer, offset, count);
        Hash(buffer.AsSpan(offset, count));
    }

    private void Hash(ReadOnlySpan<byte> data)
    {
        if (!hash)
        {
            _count += data.Length;
            return;
        }
        while (data.Length > 0)
        {
            var n = (int)Math.Min(data.Length, SegmentSize - _count % SegmentSize);
            _hash.AppendData(data[..n]);
            _count += n;
            data = data[n..];
            if (_count % SegmentSize == 0)
                _segments.Add(_hash.GetHashAndReset());
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _hash.Dispose();
        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    /// <inheritdoc/>
    public override void Flush() => inner.Flush();
    /// <inheritdoc/>
    public override long Length => _count;
    /// <inheritdoc/>
    public override long Position { get => _count; set => throw new NotSupportedException(); }
}
