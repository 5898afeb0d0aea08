using System.Security.Cryptography;
using Cairn.Core.Chunking;
using Cairn.Core.Format;

namespace Cairn.Core.Tests.Chunking;

public sealed class ChunkerBoundariesTests
{
    private static readonly ChunkerParameters Small = new(64 * 1024, 256 * 1024, 1024 * 1024);

    private static byte[] Seed(int n) => TestData.RandomBytes(32, 1000 + n);

    /// <summary>Cuts all of <paramref name="data"/>, passing windows of exactly MaxSize bytes as a streaming caller would.</summary>
    private static List<int> CutStreaming(Chunker chunker, byte[] data)
    {
        var max = chunker.Parameters.MaxSize;
        var lengths = new List<int>();
        var pos = 0;
        while (pos < data.Length)
        {
            var rest = data.Length - pos;
            var n = chunker.NextBoundary(data.AsSpan(pos, Math.Min(rest, max)), isFinal: rest <= max);
            Assert.InRange(n, 1, Math.Min(rest, max));
            lengths.Add(n);
            pos += n;
        }
        return lengths;
    }

    /// <summary>Cuts all of <paramref name="data"/>, passing everything that is left each time.</summary>
    private static List<int> CutWhole(Chunker chunker, byte[] data)
    {
        var lengths = new List<int>();
        var pos = 0;
        while (pos < data.Length)
        {
            var n = chunker.NextBoundary(data.AsSpan(pos), isFinal: true);
            Assert.InRange(n, 1, data.Length - pos);
            lengths.Add(n);
            pos += n;
        }
        return lengths;
    }

    private static List<string> ChunkHashes(byte[] data, List<int> lengths)
    {
        var hashes = new List<string>();
        var pos = 0;
        foreach (var n in lengths)
        {
            hashes.Add(Convert.ToHexString(SHA256.HashData(data.AsSpan(pos, n))));
            pos += n;
        }
        return hashes;
    }

    [Fact]
    public void Boundaries_SameSeedAndData_AreTheSameEveryTime()
    {
        var data = TestData.RandomBytes(6 * 1024 * 1024, 1);

        var first = CutStreaming(new Chunker(Small, Seed(1)), data);
        var second = CutStreaming(new Chunker(Small, Seed(1)), data);
        var third = CutWhole(new Chunker(Small, Seed(1)), data);

        Assert.True(first.Count > 6, $"only {first.Count} chunks");
        Assert.Equal(first, second);
        Assert.Equal(first, third);
    }

    /// <summary>
    /// Cut points are part of the repository format: a repository's chunks, and so its deduplication, must not
    /// move when the chunker's code does. These lengths were cut by the byte-at-a-time loop of session 15.
    /// </summary>
    [Fact]
    public void Boundaries_OfAFixedSeedAndInput_AreTheFormatsOwn()
    {
        var lengths = CutStreaming(new Chunker(Small, Seed(1)), TestData.RandomBytes(4 << 20, 77));

        Assert.Equal([369410, 386128, 202960, 164876, 286506, 253641, 379775, 331420, 267862, 133034, 459653, 328338, 269453, 361248], lengths);
    }

    [Fact]
    public void Chunks_AreBetweenMinAndMax_ExceptTheLast()
    {
        var data = TestData.RandomBytes(8 * 1024 * 1024 + 12345, 2);

        var lengths = CutStreaming(new Chunker(Small, Seed(2)), data);

        Assert.All(lengths.SkipLast(1), n => Assert.InRange(n, Small.MinSize, Small.MaxSize));
        Assert.InRange(lengths[^1], 1, Small.MaxSize);
        // Content-defined: most cuts fall strictly inside the range rather than at the maximum.
        Assert.True(lengths.Count(n => n < Small.MaxSize) > lengths.Count / 2, string.Join(",", lengths));
    }

    [Fact]
    public void Chunks_Concatenated_EqualTheInput()
    {
        var data = TestData.RandomBytes(5 * 1024 * 1024 + 7, 3);
        var lengths = CutStreaming(new Chunker(Small, Seed(3)), data);

        var joined = new MemoryStream();
        var pos = 0;
        foreach (var n in lengths)
        {
            joined.Write(data, pos, n);
            pos += n;
        }

        Assert.Equal(data.Length, lengths.Sum());
        Assert.True(data.AsSpan().SequenceEqual(joined.ToArray()));
    }

    /// <summary>
    /// Cuts all of <paramref name="data"/> as a reader that gets it in pieces does: each piece's length from
    /// <paramref name="pieces"/> in turn, looking for the cut again after each one from where the last look stopped.
    /// </summary>
    private static List<int> CutInPieces(Chunker chunker, byte[] data, int[] pieces)
    {
        var lengths = new List<int>();
        int pos = 0, filled = 0, scanned = 0, piece = 0;
        while (pos < data.Length)
        {
            var isFinal = pos + filled == data.Length;
            var n = chunker.FindBoundary(data.AsSpan(pos, filled), scanned, isFinal);
            if (n == 0)
            {
                Assert.False(isFinal);
                scanned = filled;
                filled = Math.Min(filled + pieces[piece++ % pieces.Length], data.Length - pos);
                continue;
            }
            Assert.InRange(n, 1, filled);
            lengths.Add(n);
            pos += n;
            filled -= n;
            scanned = 0;
        }
        return lengths;
    }

    [Theory]
    [InlineData(new[] { 1 })]
    [InlineData(new[] { 63, 64, 65 })]
    [InlineData(new[] { 4096 })]
    [InlineData(new[] { 50_000, 1, 70_001, 129 })]
    [InlineData(new[] { 300_000 })]
    [InlineData(new[] { 2 * 1024 * 1024 })]
    public void FindBoundary_DataInPieces_CutsWhereNextBoundaryCutsItWhole(int[] pieces)
    {
        var chunker = new Chunker(Small, Seed(7));
        // Random bytes, then a run of one byte value (no cut in it until MaxSize), then random bytes again.
        var data = TestData.RandomBytes(3 * 1024 * 1024, 11).Concat(new byte[1536 * 1024]).Concat(TestData.RandomBytes(1024 * 1024, 12)).ToArray();

        var whole = CutWhole(chunker, data);
        var inPieces = CutInPieces(chunker, data, pieces);

        Assert.Contains(Small.MaxSize, whole);
        Assert.Contains(whole, n => n > Small.MinSize && n < Small.MaxSize);
        Assert.Equal(whole, inPieces);
    }

    [Fact]
    public void Boundaries_DifferentSeeds_Differ()
    {
        var data = TestData.RandomBytes(6 * 1024 * 1024, 4);

        var a = CutStreaming(new Chunker(Small, Seed(10)), data);
        var b = CutStreaming(new Chunker(Small, Seed(11)), data);

        Assert.NotEqual(a, b);
        // Not just the last cut: the boundary positions barely overlap.
        var cutsA = a.Select((_, i) => a.Take(i + 1).Sum()).SkipLast(1).ToHashSet();
        var cutsB = b.Select((_, i) => b.Take(i + 1).Sum()).SkipLast(1).ToHashSet();
        Assert.True(cutsA.Intersect(cutsB).Count() < Math.Min(cutsA.Count, cutsB.Count) / 2);
    }

    [Fact]
    public void InsertingOneByteNearTheStart_ChangesOnlyTheFirstChunks()
    {
        var original = TestData.RandomBytes(8 * 1024 * 1024, 5);
        var edited = new byte[original.Length + 1];
        original.AsSpan(0, 1000).CopyTo(edited);
        edited[1000] = 0x42;
        original.AsSpan(1000).CopyTo(edited.AsSpan(1001));
        var chunker = new Chunker(Small, Seed(5));

        var before = ChunkHashes(original, CutStreaming(chunker, original));
        var after = ChunkHashes(edited, CutStreaming(chunker, edited));

        var known = before.ToHashSet();
        var changed = after.Select((h, i) => (h, i)).Where(x => !known.Contains(x.h)).Select(x => x.i).ToList();
        Assert.True(before.Count > 8, $"only {before.Count} chunks");
        Assert.NotEmpty(changed);
        Assert.True(changed.Count <= 3, $"{changed.Count} of {after.Count} chunks changed");
        Assert.All(changed, i => Assert.True(i < 3, $"chunk {i} changed"));
        Assert.Equal(before.TakeLast(before.Count - 3), after.TakeLast(before.Count - 3));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(64 * 1024)]
    [InlineData(64 * 1024 + 1)]
    [InlineData(1024 * 1024 - 1)]
    public void NextBoundary_LessThanMaxSizeOfNonFinalData_Throws(int length)
    {
        var chunker = new Chunker(Small, Seed(6));
        var data = TestData.RandomBytes(length, 6);

        Assert.Throws<ArgumentException>(() => chunker.NextBoundary(data, isFinal: false));
    }

    [Fact]
    public void NextBoundary_ExactlyMaxSizeOfNonFinalData_Cuts()
    {
        var chunker = new Chunker(Small, Seed(7));
        var data = TestData.RandomBytes(Small.MaxSize, 7);

        Assert.InRange(chunker.NextBoundary(data, isFinal: false), Small.MinSize, Small.MaxSize);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    public void NextBoundary_FinalDataUpToMinSize_IsOneChunk(int length)
    {
        var chunker = new Chunker(Small, Seed(8));

        Assert.Equal(length, chunker.NextBoundary(TestData.RandomBytes(length, 8), isFinal: true));
    }

    [Fact]
    public void DefaultParameters_On24MiB_CutWithinTheDefaultSizes()
    {
        var parameters = ChunkerParameters.Default;
        var data = TestData.RandomBytes(24 * 1024 * 1024, 9);

        var lengths = CutStreaming(new Chunker(parameters, Seed(9)), data);

        Assert.Equal(data.Length, lengths.Sum());
        Assert.All(lengths.SkipLast(1), n => Assert.InRange(n, parameters.MinSize, parameters.MaxSize));
        // An average near 1 MiB gives well over the 3 chunks that cutting at MaxSize alone would.
        Assert.InRange(lengths.Count, 8, 48);
        Assert.Equal(lengths, CutWhole(new Chunker(parameters, Seed(9)), data));
    }

    [Theory]
    [InlineData(32, 256, 1024)]            // min below 64
    [InlineData(1024, 512, 4096)]          // min above avg
    [InlineData(1024, 3000, 8192)]         // avg not a power of two
    [InlineData(1024, 4096, 2048)]         // avg above max
    [InlineData(1024, 4096, 65 * 1024 * 1024)] // max above 64 MiB
    public void Constructor_InvalidParameters_Throw(int min, int avg, int max)
    {
        Assert.Throws<ArgumentException>(() => new Chunker(new ChunkerParameters(min, avg, max), Seed(0)));
    }
}
