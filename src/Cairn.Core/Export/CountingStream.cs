namespace Cairn.Core.Export;

/// <summary>A write-only pass-through stream that counts the bytes written.</summary>
public sealed class CountingStream(Stream inner) : WriteOnlyStream
{
    private long _count;

    /// <summary>Bytes written so far.</summary>
    public long Count => _count;

    /// <inheritdoc/>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _count += buffer.Length;
        return inner.WriteAsync(buffer, cancellationToken);
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count)
    {
        _count += count;
        inner.Write(buffer, offset, count);
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _count += buffer.Length;
        inner.Write(buffer);
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
