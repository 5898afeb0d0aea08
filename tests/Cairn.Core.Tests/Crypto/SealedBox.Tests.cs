using Cairn.Core.Crypto;

namespace Cairn.Core.Tests.Crypto;

public sealed class SealedBoxTests
{
    private static readonly byte[] Key = TestData.RandomBytes(32, 1);
    private static readonly byte[] OtherKey = TestData.RandomBytes(32, 2);
    private static readonly byte[] Associated = "object header"u8.ToArray();

    [Theory]
    [InlineData(CipherSuite.Aes256Gcm, 0)]
    [InlineData(CipherSuite.Aes256Gcm, 1)]
    [InlineData(CipherSuite.Aes256Gcm, 100_000)]
    [InlineData(CipherSuite.AuthenticatedPlaintext, 0)]
    [InlineData(CipherSuite.AuthenticatedPlaintext, 1)]
    [InlineData(CipherSuite.AuthenticatedPlaintext, 100_000)]
    public void Seal_ThenOpen_ReturnsThePlaintext(CipherSuite suite, int length)
    {
        using var box = new SealedBox(suite, Key);
        var plaintext = TestData.RandomBytes(length, 3);

        var sealedBytes = box.Seal(plaintext, Associated);

        Assert.Equal(length + SealedBox.Overhead, sealedBytes.Length);
        Assert.Equal(plaintext, box.TryOpen(sealedBytes, Associated));
    }

    [Theory]
    [InlineData(CipherSuite.Aes256Gcm)]
    [InlineData(CipherSuite.AuthenticatedPlaintext)]
    public void Seal_SameInputTwice_UsesFreshNonces(CipherSuite suite)
    {
        using var box = new SealedBox(suite, Key);
        var plaintext = TestData.RandomBytes(64, 4);

        var a = box.Seal(plaintext, Associated);
        var b = box.Seal(plaintext, Associated);

        Assert.NotEqual(a.AsSpan(0, SealedBox.NonceLength).ToArray(), b.AsSpan(0, SealedBox.NonceLength).ToArray());
        Assert.Equal(plaintext, box.TryOpen(a, Associated));
        Assert.Equal(plaintext, box.TryOpen(b, Associated));
    }

    [Fact]
    public void Seal_Aes256Gcm_HidesThePlaintext()
    {
        using var box = new SealedBox(CipherSuite.Aes256Gcm, Key);
        var plaintext = TestData.Text(256);

        var sealedBytes = box.Seal(plaintext, Associated);

        Assert.NotEqual(plaintext, sealedBytes.AsSpan(SealedBox.NonceLength, plaintext.Length).ToArray());
    }

    [Fact]
    public void Seal_AuthenticatedPlaintext_StoresThePlaintextAsIs()
    {
        using var box = new SealedBox(CipherSuite.AuthenticatedPlaintext, Key);
        var plaintext = TestData.Text(256);

        var sealedBytes = box.Seal(plaintext, Associated);

        Assert.Equal(plaintext, sealedBytes.AsSpan(SealedBox.NonceLength, plaintext.Length).ToArray());
    }

    [Theory]
    [InlineData(CipherSuite.Aes256Gcm)]
    [InlineData(CipherSuite.AuthenticatedPlaintext)]
    public void TryOpen_AnySingleBitFlipped_Fails(CipherSuite suite)
    {
        using var box = new SealedBox(suite, Key);
        var sealedBytes = box.Seal(TestData.RandomBytes(40, 5), Associated);

        for (var bit = 0; bit < sealedBytes.Length * 8; bit++)
            Assert.True(box.TryOpen(TestData.FlipBit(sealedBytes, bit), Associated) is null, $"bit {bit} flipped still opens");
    }

    [Theory]
    [InlineData(CipherSuite.Aes256Gcm)]
    [InlineData(CipherSuite.AuthenticatedPlaintext)]
    public void TryOpen_WrongAssociatedData_Fails(CipherSuite suite)
    {
        using var box = new SealedBox(suite, Key);
        var sealedBytes = box.Seal(TestData.RandomBytes(40, 6), Associated);

        Assert.Null(box.TryOpen(sealedBytes, "object headeR"u8));
        Assert.Null(box.TryOpen(sealedBytes, "object heade"u8));
        Assert.Null(box.TryOpen(sealedBytes, ReadOnlySpan<byte>.Empty));
        for (var bit = 0; bit < Associated.Length * 8; bit++)
            Assert.Null(box.TryOpen(sealedBytes, TestData.FlipBit(Associated, bit)));
    }

    [Theory]
    [InlineData(CipherSuite.Aes256Gcm)]
    [InlineData(CipherSuite.AuthenticatedPlaintext)]
    public void TryOpen_WrongKey_Fails(CipherSuite suite)
    {
        using var box = new SealedBox(suite, Key);
        using var other = new SealedBox(suite, OtherKey);

        var sealedBytes = box.Seal(TestData.RandomBytes(40, 7), Associated);

        Assert.Null(other.TryOpen(sealedBytes, Associated));
    }

    [Theory]
    [InlineData(CipherSuite.Aes256Gcm)]
    [InlineData(CipherSuite.AuthenticatedPlaintext)]
    public void TryOpen_TruncatedOrExtended_Fails(CipherSuite suite)
    {
        using var box = new SealedBox(suite, Key);
        var sealedBytes = box.Seal(TestData.RandomBytes(40, 8), Associated);

        Assert.Null(box.TryOpen(sealedBytes.AsSpan(0, sealedBytes.Length - 1), Associated));
        Assert.Null(box.TryOpen(sealedBytes.AsSpan(1), Associated));
        Assert.Null(box.TryOpen(sealedBytes.AsSpan(0, SealedBox.Overhead - 1), Associated));
        Assert.Null(box.TryOpen([.. sealedBytes, 0], Associated));
    }

    [Theory]
    [InlineData(CipherSuite.Aes256Gcm)]
    [InlineData(CipherSuite.AuthenticatedPlaintext)]
    public void TryOpen_DestinationTooSmall_ReturnsFalse(CipherSuite suite)
    {
        using var box = new SealedBox(suite, Key);
        var sealedBytes = box.Seal(TestData.RandomBytes(40, 9), Associated);

        Assert.False(box.TryOpen(sealedBytes, Associated, new byte[39]));
        var exact = new byte[40];
        Assert.True(box.TryOpen(sealedBytes, Associated, exact));
        Assert.Equal(TestData.RandomBytes(40, 9), exact);
    }

    [Theory]
    [InlineData(CipherSuite.Aes256Gcm, 0)]
    [InlineData(CipherSuite.Aes256Gcm, 100_000)]
    [InlineData(CipherSuite.AuthenticatedPlaintext, 0)]
    [InlineData(CipherSuite.AuthenticatedPlaintext, 100_000)]
    public void TryOpenInPlace_LeavesThePlaintextWhereTheCiphertextWas(CipherSuite suite, int length)
    {
        using var box = new SealedBox(suite, Key);
        var plaintext = TestData.RandomBytes(length, 5);
        var sealedBytes = box.Seal(plaintext, Associated);

        Assert.True(box.TryOpenInPlace(sealedBytes, Associated));

        Assert.Equal(plaintext, sealedBytes.AsSpan(SealedBox.NonceLength, length).ToArray());
    }

    [Theory]
    [InlineData(CipherSuite.Aes256Gcm)]
    [InlineData(CipherSuite.AuthenticatedPlaintext)]
    public void TryOpenInPlace_Tampered_FailsAndLeavesNoPlaintext(CipherSuite suite)
    {
        using var box = new SealedBox(suite, Key);
        var plaintext = TestData.Text(1000);
        var sealedBytes = box.Seal(plaintext, Associated);
        sealedBytes[SealedBox.NonceLength + 500] ^= 1;

        Assert.False(box.TryOpenInPlace(sealedBytes, Associated));

        Assert.All(sealedBytes.AsSpan(SealedBox.NonceLength, plaintext.Length).ToArray(), b => Assert.Equal(0, b));
        Assert.False(box.TryOpenInPlace(new byte[SealedBox.Overhead - 1], Associated));
    }

    [Fact]
    public void Seal_DestinationTooSmall_Throws()
    {
        using var box = new SealedBox(CipherSuite.Aes256Gcm, Key);

        Assert.Throws<ArgumentException>(() => box.Seal(new byte[10], Associated, new byte[10 + SealedBox.Overhead - 1]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    public void Constructor_KeyNot32Bytes_Throws(int length)
    {
        Assert.Throws<ArgumentException>(() => new SealedBox(CipherSuite.Aes256Gcm, new byte[length]));
    }

    [Fact]
    public void Constructor_UnknownSuite_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SealedBox((CipherSuite)99, Key));
    }

    [Fact]
    public void SealAndOpen_FromManyThreads_AllRoundTrip()
    {
        using var box = new SealedBox(CipherSuite.Aes256Gcm, Key);
        var failures = 0;

        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var plaintext = TestData.RandomBytes(100 + i, i);
            var opened = box.TryOpen(box.Seal(plaintext, Associated), Associated);
            if (opened is null || !opened.AsSpan().SequenceEqual(plaintext))
                Interlocked.Increment(ref failures);
        });

        Assert.Equal(0, failures);
    }
}
