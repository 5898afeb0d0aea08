using Cairn.Core.Format;

namespace Cairn.Core.Tests.Format;

public sealed class DigestTests
{
    private const string Hex = "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210";

    [Fact]
    public void Parse_ThenToString_RoundTrips()
    {
        var digest = Digest.Parse(Hex);

        Assert.Equal(Hex, digest.ToString());
        Assert.Equal("00112233", digest.Short);
        Assert.Equal(Convert.FromHexString(Hex), digest.ToArray());
    }

    [Fact]
    public void Parse_UpperCase_FormatsAsLowerCase()
    {
        Assert.Equal(Hex, Digest.Parse(Hex.ToUpperInvariant()).ToString());
    }

    [Fact]
    public void Bytes_RoundTripThroughCopyTo()
    {
        var bytes = TestData.RandomBytes(32, 1);
        var copy = new byte[32];

        new Digest(bytes).CopyTo(copy);

        Assert.Equal(bytes, copy);
    }

    [Fact]
    public void Constructor_ReadsOnlyTheFirst32Bytes()
    {
        var bytes = TestData.RandomBytes(40, 2);

        Assert.Equal(new Digest(bytes.AsSpan(0, 32)), new Digest(bytes));
    }

    [Fact]
    public void Constructor_FewerThan32Bytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Digest(new byte[31]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0011")]
    [InlineData("00112233445566778899aabbccddeeff0123456789abcdeffedcba987654321")]   // 63 characters
    [InlineData("00112233445566778899aabbccddeeff0123456789abcdeffedcba98765432100")] // 65 characters
    [InlineData("zz112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210")]
    [InlineData(" 0112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210")]
    public void Parse_NotA64CharacterHexString_ThrowsFormatException(string text)
    {
        Assert.Throws<FormatException>(() => Digest.Parse(text));
        Assert.False(Digest.TryParse(text, out _));
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.False(Digest.TryParse(null, out var digest));
        Assert.Equal(default, digest);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(31)]
    public void Equality_DigestsDifferingInOneByte_AreNotEqual(int index)
    {
        var bytes = TestData.RandomBytes(32, 3);
        var other = (byte[])bytes.Clone();
        other[index] ^= 0x01;

        Assert.NotEqual(new Digest(bytes), new Digest(other));
        Assert.False(new Digest(bytes) == new Digest(other));
    }

    [Fact]
    public void Equality_SameBytes_AreEqualWithTheSameHashCode()
    {
        var a = new Digest(TestData.RandomBytes(32, 4));
        var b = new Digest(TestData.RandomBytes(32, 4));

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Single(new HashSet<Digest> { a, b });
    }

    [Fact]
    public void OfContent_IsUnkeyedBlake3()
    {
        Assert.Equal("af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262", Digest.OfContent([]).ToString());
        Assert.NotEqual(Digest.OfContent([0]), Digest.OfContent([1]));
    }

    [Fact]
    public void BlobId_ParseAndToString_UseTheDigestsHex()
    {
        var id = BlobId.Parse(Hex);

        Assert.Equal(Hex, id.ToString());
        Assert.Equal(Digest.Parse(Hex), id.Digest);
    }
}
