using System.Globalization;
using System.Text;
using Cairn.Core.Trees;

namespace Cairn.Core.Restore;

/// <summary>
/// Finds the names in one directory that a filesystem which does not tell every name apart could take for one
/// another: those that differ only in case ("Makefile" and "makefile", "Σ" and "σ") or in the form of a Latin letter
/// with a diacritic ("é" as one character or as "e" and a combining accent). exFAT, FAT, SMB shares and casefolded
/// ext4 directories fold case; casefolded ext4 and Apple's filesystems also fold forms. Whether the target really
/// takes two such names for one is for the filesystem to say (<see cref="DirectoryMaker.TakesForOneAnother"/>).
/// Not found here (without Unicode tables, which the invariant globalization mode leaves out): names that fold only by
/// full case folding ("ß" and "ss") or by the decomposed forms of other scripts' letters.
/// </summary>
internal static class FoldedNames
{
    /// <summary>
    /// For each child, the index of the nearest earlier child whose name may fold to the same, or -1; null when no two
    /// names of <paramref name="children"/> may.
    /// </summary>
    public static int[]? EarlierLookalikes(IReadOnlyList<Node> children)
    {
        if (children.Count < 2)
            return null;
        var last = new Dictionary<string, int>(children.Count, StringComparer.OrdinalIgnoreCase);
        int[]? earlier = null;
        for (var i = 0; i < children.Count; i++)
        {
            var key = KeyOf(children[i].Name);
            if (last.TryGetValue(key, out var previous))
            {
                if (earlier is null)
                {
                    earlier = new int[children.Count];
                    Array.Fill(earlier, -1);
                }
                earlier[i] = previous;
            }
            last[key] = i;
        }
        return earlier;
    }

    /// <summary>The base letters of U+00C0 to U+017F (an accented Latin letter's letter without its accent, else itself).</summary>
    private const string LatinBases =
        "AAAAAA\u00c6CEEEEIIII\u00d0NOOOOO\u00d7\u00d8UUUUY\u00de\u00dfaaaaaa\u00e6ceeeeiiii\u00f0nooooo\u00f7\u00f8uuuuy\u00fey" +
        "AaAaAaCcCcCcCcDd\u0110\u0111EeEeEeEeEeGgGgGgGgHh\u0126\u0127IiIiIiIiI\u0131\u0132\u0133JjKk\u0138LlLlLl\u013f\u0140\u0141\u0142" +
        "NnNnNn\u0149\u014a\u014bOoOoOo\u0152\u0153RrRrRrSsSsSsSsTtTt\u0166\u0167UuUuUuUuUuUuWwYyYZzZzZz\u017f";

    /// <summary>The name without combining marks, its accented Latin letters as their base letters; compared ignoring case.</summary>
    private static string KeyOf(byte[] name)
    {
        if (Ascii.IsValid(name))
            return Encoding.ASCII.GetString(name);
        var text = Encoding.UTF8.GetString(name);
        var key = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
                continue;
            key.Append(c is >= '\u00c0' and <= '\u017f' ? LatinBases[c - '\u00c0'] : c);
        }
        return key.ToString();
    }
}
