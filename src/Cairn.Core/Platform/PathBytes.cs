using System.Text;

namespace Cairn.Core.Platform;

/// <summary>Paths as raw bytes: joining, splitting and rendering for people.</summary>
public static class PathBytes
{
    /// <summary>
    /// Whether <paramref name="name"/> can be one entry of a directory: not empty, not "." or "..", without '/' or
    /// NUL. Every name a backup records is one; a tree with another is damaged or crafted, and writing its entry
    /// would leave the directory it belongs to.
    /// </summary>
    public static bool IsEntryName(ReadOnlySpan<byte> name) =>
        name.Length > 0 && !name.SequenceEqual("."u8) && !name.SequenceEqual(".."u8) && name.IndexOfAny((byte)'/', (byte)0) < 0;

    /// <summary>Joins a directory path and a name with a single '/'.</summary>
    public static byte[] Join(ReadOnlySpan<byte> directory, ReadOnlySpan<byte> name)
    {
        if (directory.Length == 0)
            return name.ToArray();
        var needsSlash = directory[^1] != (byte)'/';
        var result = new byte[directory.Length + (needsSlash ? 1 : 0) + name.Length];
        directory.CopyTo(result);
        if (needsSlash)
            result[directory.Length] = (byte)'/';
        name.CopyTo(result.AsSpan(result.Length - name.Length));
        return result;
    }

    /// <summary>Encodes a .NET path string (from the command line) as bytes.</summary>
    public static byte[] FromString(string path) => Encoding.UTF8.GetBytes(path);

    /// <summary>
    /// Renders bytes for people: valid UTF-8 as is, every invalid byte as <c>\xNN</c>, and control
    /// characters (newline, tab, …) and backslashes escaped, so that one name stays on one line.
    /// </summary>
    public static string Display(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        var i = 0;
        while (i < bytes.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes[i..], out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                sb.Append($"\\x{bytes[i]:x2}");
                i++;
                continue;
            }
            AppendRune(sb, rune);
            i += consumed;
        }
        return sb.ToString();
    }

    private static void AppendRune(StringBuilder sb, System.Text.Rune r)
    {
        switch (r.Value)
        {
            case '\\': sb.Append("\\\\"); break;
            case '\n': sb.Append("\\n"); break;
            case '\t': sb.Append("\\t"); break;
            case '\r': sb.Append("\\r"); break;
            case < 0x20 or 0x7f: sb.Append($"\\x{r.Value:x2}"); break;
            default: sb.Append(r.ToString()); break;
        }
    }
}
