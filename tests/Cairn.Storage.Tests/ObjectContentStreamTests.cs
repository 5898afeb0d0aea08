namespace Cairn.Storage.Tests;

public sealed class ObjectContentStreamTests
{
    private static readonly byte[] Bytes = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();

    [Fact]
    public void Reads_the_content_to_its_end_and_then_nothing()
    {
        using var stream = new ObjectContentStream(new ChoppyContent(Bytes, longestRead: 300));
        using var copy = new MemoryStream();

        stream.CopyTo(copy, 256);

        Assert.Equal(Bytes, copy.ToArray());
        Assert.Equal(0, stream.Read(new byte[10]));
        Assert.Equal(1000, stream.Position);
    }

    [Fact]
    public void Seeks_from_each_origin_and_reads_from_there()
    {
        using var stream = new ObjectContentStream(new ChoppyContent(Bytes));
        var buffer = new byte[4];

        Assert.Equal(1000, stream.Length);
        Assert.True(stream.CanSeek && stream.CanRead && !stream.CanWrite);
        Assert.Equal(996, stream.Seek(-4, SeekOrigin.End));
        Assert.Equal(4, stream.Read(buffer));
        Assert.Equal(Bytes[996..], buffer);
        stream.Position = 10;
        Assert.Equal(12, stream.Seek(2, SeekOrigin.Current));
        stream.ReadExactly(buffer);
        Assert.Equal(Bytes[12..16], buffer);
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Seek(-1, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.Write(buffer));
    }

    [Fact]
    public async Task Reads_asynchronously_as_an_upload_does()
    {
        await using var stream = new ObjectContentStream(new ChoppyContent(Bytes, longestRead: 64));
        using var copy = new MemoryStream();

        await stream.CopyToAsync(copy);

        Assert.Equal(Bytes, copy.ToArray());
    }
}
