using System.Text;

namespace Cairn.Core.Archive;

/// <summary>
/// The plain-text block a Cairn export may start with: it begins with <see cref="Magic"/>, is exactly
/// <see cref="Length"/> bytes long and is never compressed; the tar archive, compressed or not, follows it.
/// </summary>
public static class ExportArchiveHeader
{
    /// <summary>The text the block starts with.</summary>
    public const string Magic = "# Cairn export archive";

    /// <summary>The block's length in bytes, the magic included.</summary>
    public const int Length = 32768;

    /// <summary><see cref="Magic"/> as the bytes an archive starts with.</summary>
    internal static byte[] MagicBytes { get; } = Encoding.ASCII.GetBytes(Magic);
}
