using System.Security.Cryptography;
using System.Text;

namespace Cairn.Benchmarks;

/// <summary>Inputs shared by the kernel benchmarks: random (incompressible) and source-like (compressible) data.</summary>
internal static class KernelData
{
    public const int Length = 8 << 20;

    public static byte[] Random { get; } = RandomNumberGenerator.GetBytes(Length);

    public static byte[] Text { get; } = MakeText();

    /// <summary>Half text, half random, in 1 MiB runs: what the benchmark corpus looks like to the pipeline.</summary>
    public static byte[] Mixed { get; } = MakeMixed();

    public static byte[] MasterSecret { get; } = RandomNumberGenerator.GetBytes(64);

    private static byte[] MakeText()
    {
        var words = "the of and to in is that for it as with int void return if else while struct class public static const string bytes buffer".Split(' ');
        var r = new System.Random(1);
        var sb = new StringBuilder(Length + 200);
        while (sb.Length < Length)
            sb.Append(' ', 4 * r.Next(4)).AppendJoin(' ', Enumerable.Range(0, r.Next(3, 12)).Select(_ => words[r.Next(words.Length)])).Append(";\n");
        return Encoding.ASCII.GetBytes(sb.ToString())[..Length];
    }

    private static byte[] MakeMixed()
    {
        var mixed = new byte[Length];
        for (var i = 0; i < Length; i += 1 << 20)
            (((i >> 20) & 1) == 0 ? Text : Random).AsSpan(i, 1 << 20).CopyTo(mixed.AsSpan(i));
        return mixed;
    }
}
