using Cairn.Core.Crypto;

namespace Cairn.Core.Tests.Crypto;

public sealed class KeyedBlake3Tests
{
    private static byte[] Package(byte[] key, ReadOnlySpan<byte> input)
    {
        using var hasher = Blake3.Hasher.NewKeyed(key);
        hasher.Update(input);
        var hash = new byte[32];
        hasher.Finalize(hash);
        return hash;
    }

    private static byte[] Lanes(byte[] key, ReadOnlySpan<byte> input)
    {
        var hash = new byte[32];
        KeyedBlake3.Hash(key, input, hash);
        return hash;
    }

    /// <summary>
    /// Every length up to 2 KiB and around each block, chunk and tree edge up to the longest input: a lane with
    /// fewer blocks than the others, a last chunk of one byte, an odd node carried up a level, a batch of lanes not
    /// filled, several batches of chunks and of parents whatever the vector's width, the root.
    /// </summary>
    private static SortedSet<int> Lengths()
    {
        var lengths = new SortedSet<int>();
        for (var n = 0; n <= 2048; n++)
            lengths.Add(n);
        for (var chunks = 2; chunks <= KeyedBlake3.MaxLength / 1024; chunks++)
            foreach (var delta in new[] { -65, -64, -63, -1, 0, 1, 63, 64, 65 })
                lengths.Add(Math.Clamp(chunks * 1024 + delta, 0, KeyedBlake3.MaxLength));
        return lengths;
    }

    [Fact]
    public void Hashes_EveryLengthItTakes_AsTheBlake3PackageDoes()
    {
        var key = TestData.RandomBytes(32, 7);
        var input = TestData.RandomBytes(KeyedBlake3.MaxLength, 8);
        foreach (var length in Lengths())
            Assert.True(Package(key, input.AsSpan(0, length)).AsSpan().SequenceEqual(Lanes(key, input.AsSpan(0, length))), $"length {length}");
    }

    [Fact]
    public void Hashes_RandomLengths_AsTheBlake3PackageDoes()
    {
        var random = new Random(9);
        var input = TestData.RandomBytes(KeyedBlake3.MaxLength, 10);
        for (var i = 0; i < 2000; i++)
        {
            var key = TestData.RandomBytes(32, 100 + i);
            var start = random.Next(0, 64);
            var length = random.Next(0, KeyedBlake3.MaxLength - start + 1);
            Assert.True(Package(key, input.AsSpan(start, length)).AsSpan().SequenceEqual(Lanes(key, input.AsSpan(start, length))), $"offset {start}, length {length}");
        }
    }

    [Fact]
    public void Hash_RefusesAnInputLongerThanItTakes()
    {
        var key = new byte[32];
        Assert.Throws<ArgumentOutOfRangeException>(() => KeyedBlake3.Hash(key, new byte[KeyedBlake3.MaxLength + 1], new byte[32]));
    }
}
