using System.Text;
using Cairn.Core.Crypto;

namespace Cairn.Core.Tests;

/// <summary>Deterministic inputs shared by the tests.</summary>
internal static class TestData
{
    /// <summary>Pseudo-random bytes that are the same on every run for the same seed.</summary>
    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A 64-byte master secret derived from <paramref name="seed"/>.</summary>
    public static byte[] MasterSecret(int seed) => RandomBytes(KeyRing.MasterSecretLength, seed);

    /// <summary>A key ring for a deterministic master secret.</summary>
    public static KeyRing Keys(int seed = 1, CipherSuite suite = CipherSuite.Aes256Gcm) => new(MasterSecret(seed), suite);

    /// <summary>Compressible text of roughly <paramref name="length"/> bytes.</summary>
    public static byte[] Text(int length)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (sb.Length < length)
            sb.Append("line ").Append(i++).Append(": the quick brown fox jumps over the lazy dog\n");
        return Encoding.UTF8.GetBytes(sb.ToString()[..length]);
    }

    /// <summary>A copy of <paramref name="bytes"/> with one bit flipped.</summary>
    public static byte[] FlipBit(byte[] bytes, int bit)
    {
        var copy = (byte[])bytes.Clone();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }
}
