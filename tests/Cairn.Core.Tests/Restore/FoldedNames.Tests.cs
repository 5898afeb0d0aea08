using System.Text;
using Cairn.Core.Platform;
using Cairn.Core.Restore;
using Cairn.Core.Trees;

namespace Cairn.Core.Tests.Restore;

public sealed class FoldedNamesTests
{
    private static Node[] NamedBytes(params byte[][] names) => names.Select(n => new Node { Name = n, Kind = FileKind.File }).ToArray();

    private static Node[] Named(params string[] names) => NamedBytes(names.Select(Encoding.UTF8.GetBytes).ToArray());

    [Fact]
    public void Names_that_no_filesystem_takes_for_one_another_have_no_lookalikes()
    {
        Assert.Null(FoldedNames.EarlierLookalikes(Named("a", "b", "ab", "a.txt", "a.txt~", "\u00e9t\u00e9")));
        Assert.Null(FoldedNames.EarlierLookalikes(Named("only")));
        Assert.Null(FoldedNames.EarlierLookalikes(Named()));
    }

    [Fact]
    public void Each_name_points_to_the_nearest_earlier_one_it_may_fold_to()
    {
        var earlier = FoldedNames.EarlierLookalikes(Named("Makefile", "README", "makefile", "other", "MAKEFILE", "readme")) ?? [];

        Assert.Equal([-1, -1, 0, -1, 2, 1], earlier);
    }

    [Fact]
    public void Cases_beyond_ascii_and_the_forms_of_accented_latin_letters_are_lookalikes()
    {
        // Composed and decomposed é; a capital Ä and a small a with a combining diaeresis; capital and small sigma.
        var earlier = FoldedNames.EarlierLookalikes(Named("caf\u00e9", "cafe\u0301", "\u00c4rger", "a\u0308rger", "\u03a3", "\u03c3", "cafe")) ?? [];

        Assert.Equal([-1, 0, -1, 2, -1, 4, 1], earlier); // "cafe" too: the probe tells it from the others on every filesystem
    }

    [Fact]
    public void Accented_latin_greek_and_cyrillic_letters_match_their_decomposed_forms()
    {
        // The decomposed forms written out: the table must agree with Unicode's canonical decompositions.
        (string Composed, string Decomposed)[] pairs =
        [
            ("\u00c0", "A\u0300"), ("\u00c5", "A\u030a"), ("\u00c7", "C\u0327"), ("\u00d1", "N\u0303"), ("\u00d6", "O\u0308"),
            ("\u00dd", "Y\u0301"), ("\u00ff", "y\u0308"), ("\u0100", "A\u0304"), ("\u010d", "c\u030c"), ("\u0130", "I\u0307"),
            ("\u0144", "n\u0301"), ("\u0151", "o\u030b"), ("\u0161", "s\u030c"), ("\u0173", "u\u0328"), ("\u017e", "z\u030c"),
            ("\u01ce", "a\u030c"), ("\u0219", "s\u0326"), ("\u021b", "t\u0326"), ("\u1ec7", "e\u0323\u0302"), ("\u1ea0", "A\u0323"),
            ("\u0439", "\u0438\u0306"), ("\u0451", "\u0435\u0308"), ("\u03ac", "\u03b1\u0301"), ("\u1f00", "\u03b1\u0313"),
        ];
        foreach (var (composed, decomposed) in pairs)
            Assert.Equal([-1, 0], FoldedNames.EarlierLookalikes(Named(composed + ".txt", decomposed + ".txt")) ?? []);
        Assert.Null(FoldedNames.EarlierLookalikes(Named("\u00d8", "O"))); // no decomposition
        // Other scripts' marks are kept, so that their names do not fall together by their consonants.
        Assert.Null(FoldedNames.EarlierLookalikes(Named("\u0915\u093f", "\u0915\u093e", "\u0e01\u0e34", "\u0e01\u0e35")));
    }

    [Fact]
    public void Sharp_s_and_the_latin_ligatures_fold_as_their_letters()
    {
        var earlier = FoldedNames.EarlierLookalikes(Named("stra\u00dfe", "STRASSE", "stra\u1e9ee", "\ufb01le", "FILE")) ?? [];

        Assert.Equal([-1, 0, 1, -1, 3], earlier);
    }

    [Fact]
    public void Names_that_are_not_utf8_are_compared_byte_by_byte_ignoring_case()
    {
        // Windows-1251 "Иванов" and "Петров" (not UTF-8) stay apart; a name that differs only in ASCII case does not.
        byte[] ivanov = [0xc8, 0xe2, 0xe0, 0xed, 0xee, 0xe2, (byte)'.', (byte)'d', (byte)'o', (byte)'c'];
        byte[] petrov = [0xcf, 0xe5, 0xf2, 0xf0, 0xee, 0xe2, (byte)'.', (byte)'d', (byte)'o', (byte)'c'];
        byte[] ivanovUpper = [.. ivanov[..6], (byte)'.', (byte)'D', (byte)'O', (byte)'C'];

        var earlier = FoldedNames.EarlierLookalikes(NamedBytes(ivanov, petrov, ivanovUpper, [0xed, 0xa0, 0x80])) ?? [];

        Assert.Equal([-1, -1, 0, -1], earlier);
    }
}
