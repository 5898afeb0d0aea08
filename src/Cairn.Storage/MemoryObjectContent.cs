namespace Cairn.Storage;

/// <summary>An object's bytes that lie in memory, as an <see cref="IObjectContent"/>.</summary>
public sealed class MemoryObjectContent(ReadOnlyMemory<byte> bytes) : IObjectContent
{
    /// <inheritdoc/>
    public long Length => bytes.Length;

    /// <inheritdoc/>
    public int Read(long offset, Span<byte> buffer)
    {
        if (offset >= bytes.Length)
            return 0;
        var n = (int)Math.Min(buffer.Length, bytes.Length - offset);
        bytes.Span.Slice((int)offset, n).CopyTo(buffer);
        return n;
    }
}
