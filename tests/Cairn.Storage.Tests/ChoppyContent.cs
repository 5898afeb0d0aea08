namespace Cairn.Storage.Tests;

/// <summary>Content that hands out at most <paramref name="longestRead"/> bytes per read, as a file read in pieces may, and counts its reads.</summary>
internal sealed class ChoppyContent(byte[] bytes, int longestRead = 100_000) : IObjectContent
{
    private int _reads;

    public long Length => bytes.Length;

    public int Reads => Volatile.Read(ref _reads);

    public int Read(long offset, Span<byte> buffer)
    {
        Interlocked.Increment(ref _reads);
        if (offset >= bytes.Length)
            return 0;
        var n = (int)Math.Min(Math.Min(buffer.Length, longestRead), bytes.Length - offset);
        bytes.AsSpan((int)offset, n).CopyTo(buffer);
        return n;
    }
}
