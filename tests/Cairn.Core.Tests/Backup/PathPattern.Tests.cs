using Cairn.Core.Backup;

namespace Cairn.Core.Tests.Backup;

public sealed class PathPatternTests
{
    private static bool Matches(string pattern, string path) =>
        new PathPattern(pattern).Matches(path.Split('/', StringSplitOptions.RemoveEmptyEntries));

    [Theory]
    [InlineData("*.tmp", "/a/b/x.tmp", true)]
    [InlineData("*.tmp", "/x.tmp", true)]
    [InlineData("*.tmp", "/a/b/.tmp", true)]
    [InlineData("*.tmp", "/a/b/x.tmpl", false)]
    [InlineData("*.tmp", "/a/b/x.tmp/inside", false)]
    [InlineData("*.tmp", "/a/b/xtmp", false)]
    public void Unanchored_MatchesTheLastComponents(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, Matches(pattern, path));
    }

    [Theory]
    [InlineData("b/x.tmp", "/a/b/x.tmp", true)]
    [InlineData("b/x.tmp", "/a/c/x.tmp", false)]
    [InlineData("cache", "/home/u/cache", true)]
    [InlineData("cache", "/home/u/cached", false)]
    public void Unanchored_SeveralComponents_MatchTheTailOfThePath(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, Matches(pattern, path));
    }

    [Theory]
    [InlineData("/home/*/cache", "/home/u/cache", true)]
    [InlineData("/home/*/cache", "/home/other/cache", true)]
    [InlineData("/home/*/cache", "/x/home/u/cache", false)]
    [InlineData("/home/*/cache", "/home/u/v/cache", false)]
    [InlineData("/home/*/cache", "/home/cache", false)]
    [InlineData("/home/*/cache", "/home/u/cache/file", false)]
    [InlineData("/tmp/", "/tmp", true)]
    public void Anchored_MatchesTheWholePath(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, Matches(pattern, path));
    }

    [Theory]
    [InlineData("/home/**/cache", "/home/cache", true)]
    [InlineData("/home/**/cache", "/home/u/cache", true)]
    [InlineData("/home/**/cache", "/home/u/a/b/c/cache", true)]
    [InlineData("/home/**/cache", "/home/u/cache/x", false)]
    [InlineData("/home/**/cache", "/srv/home/u/cache", false)]
    [InlineData("**/node_modules", "/a/b/node_modules", true)]
    [InlineData("/**/*.log", "/var/log/syslog.log", true)]
    [InlineData("/**/*.log", "/x.log", true)]
    [InlineData("/a/**/b/**/c", "/a/x/b/y/z/c", true)]
    [InlineData("/a/**/b/**/c", "/a/x/y/z/c", false)]
    public void DoubleStar_SpansAnyNumberOfComponents(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, Matches(pattern, path));
    }

    [Theory]
    [InlineData("/home/*", "/home/u/file", false)]
    [InlineData("/home/*", "/home/u", true)]
    [InlineData("/a*b", "/ab", true)]
    [InlineData("/a*b", "/a/b", false)]
    [InlineData("/fil?.txt", "/file.txt", true)]
    [InlineData("/fil?.txt", "/fil.txt", false)]
    [InlineData("/fil?.txt", "/fil/.txt", false)]
    public void StarAndQuestionMark_StayWithinOneComponent(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, Matches(pattern, path));
    }

    [Theory]
    [InlineData("[ab]c", "/x/ac", true)]
    [InlineData("[ab]c", "/x/bc", true)]
    [InlineData("[ab]c", "/x/cc", false)]
    [InlineData("[ab]c", "/x/abc", false)]
    [InlineData("[ab]c", "/x/c", false)]
    [InlineData("[!ab]c", "/x/cc", true)]
    [InlineData("[!ab]c", "/x/ac", false)]
    [InlineData("file[0-9].txt", "/file7.txt", true)]
    [InlineData("file[0-9].txt", "/filex.txt", false)]
    [InlineData("[.]c", "/x/.c", true)]
    [InlineData("[.]c", "/x/xc", false)]
    public void CharacterClasses_MatchOneCharacterOfTheSet(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, Matches(pattern, path));
    }

    [Theory]
    [InlineData(@"\*.txt", "/*.txt", true)]
    [InlineData(@"\*.txt", "/a.txt", false)]
    [InlineData("a.c", "/abc", false)]
    [InlineData("a+b(c)", "/a+b(c)", true)]
    public void SpecialCharacters_AreLiteral(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, Matches(pattern, path));
    }

    [Fact]
    public void Text_IsThePatternAsGiven()
    {
        Assert.Equal("/home/*/cache/", new PathPattern("/home/*/cache/").Text);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("//")]
    [InlineData("[abc")]
    [InlineData("/x/[")]
    public void Constructor_InvalidPattern_ThrowsInvalidInput(string pattern)
    {
        var e = Assert.Throws<CairnException>(() => new PathPattern(pattern));

        Assert.Equal(ErrorKind.InvalidInput, e.Kind);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[!]")]
    public void Constructor_EmptyCharacterClass_ThrowsInvalidInput(string pattern)
    {
        var e = Record.Exception(() => new PathPattern(pattern));

        Assert.True(e is CairnException { Kind: ErrorKind.InvalidInput }, $"got {e?.GetType().FullName ?? "no exception"}: {e?.Message}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_Blank_ThrowsArgumentException(string pattern)
    {
        Assert.ThrowsAny<ArgumentException>(() => new PathPattern(pattern));
    }
}
