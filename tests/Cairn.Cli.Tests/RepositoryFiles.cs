using System.Security.Cryptography;

namespace Cairn.Cli.Tests;

/// <summary>Looks at and damages repository files directly, as a failing disk would.</summary>
public static class RepositoryFiles
{
    public static List<string> Packs(string repo) =>
        [.. Directory.EnumerateFiles(Path.Combine(repo, "data"), "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.')).Order()];

    public static string RelativeName(string repo, string file) => Path.GetRelativePath(repo, file).Replace('\\', '/');

    public static void FlipBit(string file, long offset, int bit = 0)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var b = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(b ^ (1 << bit)));
    }

    public static void Truncate(string file, long length)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        stream.SetLength(length);
    }

    /// <summary>A fingerprint of every file in the repository: names, sizes and hashes.</summary>
    public static string Fingerprint(string repo) => string.Join("\n",
        Directory.EnumerateFiles(repo, "*", SearchOption.AllDirectories).Order()
            .Select(f => $"{f} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}"));
}
