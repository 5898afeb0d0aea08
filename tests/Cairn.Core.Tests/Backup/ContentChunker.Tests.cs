using Cairn.Core.Backup;
using Cairn.Core.Chunking;
using Cairn.Core.Format;

namespace Cairn.Core.Tests.Backup;

/// <summary>
/// The chunking loop: whatever the size and however the reads come, the saved chunks put together are the content;
/// content that is one chunk is handed over in the read buffer itself.
/// </summary>
public sealed class ContentChunkerTests
{
    private static readonly ChunkerParameters Small = new(64 * 1024, 256 * 1024, 1024 * 1024);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(4096, 1)]
    [InlineData(64 * 1024, 1)]
    [InlineData(64 * 1024 + 1, 1)]
    [InlineData(1024 * 1024, 1)]
    [InlineData(1024 * 1024 + 1, 2)]
    [InlineData(3 * 1024 * 1024 + 7, 4)]
    public async Task Saved_chunks_put_together_are_the_content(int size, int minimumChunks)
    {
        var content = TestData.RandomBytes(size, size + 3);
        var saver = new RecordingBlobSaver(TestData.Keys());
        var position = 0;
        var reads = 0;
        byte[]? readBuffer = null;
        // Reads of odd sizes, shorter than asked, as pipes and network streams give them.
        ValueTask<int> Read(Memory<byte> into, CancellationToken _)
        {
            readBuffer ??= System.Runtime.InteropServices.MemoryMarshal.TryGetArray<byte>(into, out var segment) ? segment.Array : null;
            var n = Math.Min(Math.Min(into.Length, 50_000 + 7919 * (reads++ % 5)), content.Length - position);
            content.AsSpan(position, n).CopyTo(into.Span);
            position += n;
            return ValueTask.FromResult(n);
        }

        var (blobs, length) = await ContentChunker.ChunkAsync(Read, size, new Chunker(Small, TestData.RandomBytes(32, 9)), saver, CancellationToken.None);

        Assert.Equal(size, length);
        Assert.InRange(blobs.Count, minimumChunks, int.MaxValue);
        if (size > 0 && size <= Small.MinSize)
        {
            Assert.Single(blobs);
            Assert.Same(readBuffer, saver.LastArray); // no copy
        }
        Assert.Equal(content, blobs.SelectMany(saver.Blob).ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(-4_000_000)]
    public async Task Cuts_where_the_chunker_cuts_the_whole_content(int expectedSizeError)
    {
        // Random bytes around a run of zeros longer than MaxSize, so that chunks of every kind come up: cut at a
        // content-defined point, at MaxSize, and a last short one.
        var content = TestData.RandomBytes(2_500_000, 21).Concat(new byte[1_300_000]).Concat(TestData.RandomBytes(1_700_000, 22)).ToArray();
        var chunker = new Chunker(Small, TestData.RandomBytes(32, 9));
        var wanted = new List<int>();
        for (var at = 0; at < content.Length; at += wanted[^1])
            wanted.Add(chunker.NextBoundary(content.AsSpan(at), isFinal: true));
        var saver = new RecordingBlobSaver(TestData.Keys());
        var position = 0;
        ValueTask<int> Read(Memory<byte> into, CancellationToken _)
        {
            var n = Math.Min(into.Length, content.Length - position);
            content.AsSpan(position, n).CopyTo(into.Span);
            position += n;
            return ValueTask.FromResult(n);
        }

        // The expected size is only a hint: right, a byte off either way, or unknown (0).
        var expected = expectedSizeError == -4_000_000 ? 0 : content.Length + expectedSizeError;
        var (blobs, length) = await ContentChunker.ChunkAsync(Read, expected, chunker, saver, CancellationToken.None);

        Assert.Equal(content.Length, length);
        Assert.Contains(Small.MaxSize, wanted);
        Assert.Equal(wanted, blobs.Select(id => saver.Blob(id).Length).ToList());
        Assert.Equal(content, blobs.SelectMany(saver.Blob).ToArray());
    }
}
