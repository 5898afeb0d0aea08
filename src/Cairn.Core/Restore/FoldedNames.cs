using System.Collections.Frozen;
using System.Text;
using System.Text.Unicode;
using Cairn.Core.Trees;

namespace Cairn.Core.Restore;

/// <summary>
/// Finds the names in one directory that a filesystem which does not tell every name apart could take for one
/// another: those that differ only in case ("Makefile" and "makefile", "Σ" and "σ") or in the form of an accented
/// Latin, Greek or Cyrillic letter ("é" as one character or as "e" and a combining accent). exFAT, FAT, SMB shares
/// and casefolded ext4 directories fold case; casefolded ext4 and Apple's filesystems also fold forms. Whether the
/// target really takes two such names for one is for the filesystem to say (<see cref="DirectoryMaker.TakesForOneAnother"/>).
/// Full case folding is covered for sharp s and the Latin ligatures ("ß" and "ss", "ﬁ" and "fi"). Not found here
/// (without Unicode's tables, which the invariant globalization mode leaves out): names alike only by the forms of
/// other scripts' letters. Names that are not UTF-8 are compared byte by byte, ignoring case.
/// </summary>
internal static class FoldedNames
{
    /// <summary>Letters with accents (U+00C0–U+024F, Greek, Cyrillic, U+1E00–U+1FFF) that Unicode decomposes into a base letter and combining marks of U+0300–U+036F…</summary>
    private const string Accented =
        "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜ" +
        "ĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽ" +
        "žƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǢǣǦǧǨǩǪǫǬǭǮǯǰǴǵǸǹǺǻǼǽǾǿȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧ" +
        "ȨȩȪȫȬȭȮȯȰȱȲȳ΅ΆΈΉΊΌΎΏΐΪΫάέήίΰϊϋόύώϓϔЀЁЃЇЌЍЎЙйѐёѓїќѝўѶѷӁӂӐӑӒӓӖӗӚӛӜӝӞӟӢӣӤӥӦӧӪӫӬӭӮӯӰ" +
        "ӱӲӳӴӵӸӹḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈ" +
        "ṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘ" +
        "ẙẛẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬử" +
        "ỮữỰựỲỳỴỵỶỷỸỹἀἁἂἃἄἅἆἇἈἉἊἋἌἍἎἏἐἑἒἓἔἕἘἙἚἛἜἝἠἡἢἣἤἥἦἧἨἩἪἫἬἭἮἯἰἱἲἳἴἵἶἷἸἹἺἻἼἽἾἿὀὁὂὃὄὅὈὉ" +
        "ὊὋὌὍὐὑὒὓὔὕὖὗὙὛὝὟὠὡὢὣὤὥὦὧὨὩὪὫὬὭὮὯὰάὲέὴήὶίὸόὺύὼώᾀᾁᾂᾃᾄᾅᾆᾇᾈᾉᾊᾋᾌᾍᾎᾏᾐᾑᾒᾓᾔᾕᾖᾗᾘᾙᾚᾛᾜᾝᾞᾟᾠᾡ" +
        "ᾢᾣᾤᾥᾦᾧᾨᾩᾪᾫᾬᾭᾮᾯᾰᾱᾲᾳᾴᾶᾷᾸᾹᾺΆᾼ῁ῂῃῄῆῇῈΈῊΉῌ῍῎῏ῐῑῒΐῖῗῘῙῚΊ῝῞῟ῠῡῢΰῤῥῦῧῨῩῪΎῬ῭΅ῲῳῴῶῷῸΌῺΏῼ";

    /// <summary>…and their base letters, in the same order.</summary>
    private const string BaseLetters =
        "AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeG" +
        "gGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZ" +
        "zOoUuAaIiOoUuUuUuUuUuAaAaÆæGgKkOoOoƷʒjGgNnAaÆæØøAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAa" +
        "EeOoOoOoOoYy¨ΑΕΗΙΟΥΩιΙΥαεηιυιυουωϒϒЕЕГІКИУИиеегікиуѴѵЖжАаАаЕеӘәЖжЗзИиИиОоӨөЭэУуУ" +
        "уУуЧчЫыAaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMmMmMmNnNnN" +
        "nNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVvWwWwWwWwWwXxXxYyZzZzZzhtw" +
        "yſAaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUu" +
        "UuUuYyYyYyYyααααααααΑΑΑΑΑΑΑΑεεεεεεΕΕΕΕΕΕηηηηηηηηΗΗΗΗΗΗΗΗιιιιιιιιΙΙΙΙΙΙΙΙοοοοοοΟΟ" +
        "ΟΟΟΟυυυυυυυυΥΥΥΥωωωωωωωωΩΩΩΩΩΩΩΩααεεηηιιοουυωωααααααααΑΑΑΑΑΑΑΑηηηηηηηηΗΗΗΗΗΗΗΗωω" +
        "ωωωωωωΩΩΩΩΩΩΩΩαααααααΑΑΑΑΑ¨ηηηηηΕΕΗΗΗ᾿᾿᾿ιιιιιιΙΙΙΙ῾῾῾υυυυρρυυΥΥΥΥΡ¨¨ωωωωωΟΟΩΩΩ";

    /// <summary>The Latin letters that full case folding turns into several: sharp s and the ligatures of U+FB00–U+FB06.</summary>
    private static readonly FrozenDictionary<char, string> FullFolds = new Dictionary<char, string>
    {
        ['\u00df'] = "ss", ['\u1e9e'] = "ss", ['\ufb00'] = "ff", ['\ufb01'] = "fi", ['\ufb02'] = "fl", ['\ufb03'] = "ffi", ['\ufb04'] = "ffl",
        ['\ufb05'] = "st", ['\ufb06'] = "st",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<char, char> BaseOf = Accented.Zip(BaseLetters).ToFrozenDictionary(p => p.First, p => p.Second);

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

    /// <summary>The name without combining accents, its accented letters as their base letters; compared ignoring case.</summary>
    private static string KeyOf(byte[] name)
    {
        if (Ascii.IsValid(name) || !Utf8.IsValid(name))
            return Encoding.Latin1.GetString(name);
        var text = Encoding.UTF8.GetString(name);
        var key = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is >= '\u0300' and <= '\u036f')
                continue;
            if (FullFolds.TryGetValue(c, out var letters))
                key.Append(letters);
            else
                key.Append(BaseOf.TryGetValue(c, out var letter) ? letter : c);
        }
        return key.ToString();
    }
}
