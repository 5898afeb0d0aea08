using System.Text;
using Cairn.Core.Platform;

namespace Cairn.Core.Tests.Platform;

public sealed class PathBytesDisplayTests
{
    [Theory]
    [InlineData(new byte[] { 0x61, 0xff, 0x62 }, @"a\xffb")]
    [InlineData(new byte[] { 0xff, 0xfe }, @"\xff\xfe")]
    [InlineData(new byte[] { 0xc3 }, @"\xc3")]                          // a truncated two-byte sequence
    [InlineData(new byte[] { 0xc3, 0x41 }, @"\xc3A")]
    [InlineData(new byte[] { 0xe2, 0x82 }, @"\xe2\x82")]                // a truncated three-byte sequence
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 }, @"\xed\xa0\x80")]      // an encoded surrogate
    [InlineData(new byte[] { 0xc0, 0xaf }, @"\xc0\xaf")]                // an overlong '/'
    [InlineData(new byte[] { 0x80 }, @"\x80")]
    public void Display_InvalidUtf8_EscapesEachBadByte(byte[] bytes, string expected)
    {
        Assert.Equal(expected, PathBytes.Display(bytes));
    }

    [Theory]
    [InlineData("a\nb", @"a\nb")]
    [InlineData("a\tb", @"a\tb")]
    [InlineData("a\rb", @"a\rb")]
    [InlineData(@"a\b", @"a\\b")]
    [InlineData("a\u0001b", @"a\x01b")]
    [InlineData("a\u001bb", @"a\x1bb")]
    [InlineData("a\u007fb", @"a\x7fb")]
    [InlineData("/home/ünïcödé/文件 €.txt", "/home/ünïcödé/文件 €.txt")]
    [InlineData("emoji 😀", "emoji 😀")]
    [InlineData("", "")]
    public void Display_ValidUtf8_EscapesOnlyControlsAndBackslash(string text, string expected)
    {
        Assert.Equal(expected, PathBytes.Display(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Display_NeverContainsALineBreak()
    {
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        var shown = PathBytes.Display(all);

        Assert.DoesNotContain('\n', shown);
        Assert.DoesNotContain('\r', shown);
        Assert.Contains(@"\xff", shown, StringComparison.Ordinal);
        Assert.Contains(@"\x00", shown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/a", "b", "/a/b")]
    [InlineData("/a/", "b", "/a/b")]
    [InlineData("/", "b", "/b")]
    [InlineData("", "b", "b")]
    public void Join_PutsOneSlashBetween(string directory, string name, string expected)
    {
        Assert.Equal(Encoding.UTF8.GetBytes(expected), PathBytes.Join(Encoding.UTF8.GetBytes(directory), Encoding.UTF8.GetBytes(name)));
    }

    [Fact]
    public void Join_KeepsNonUtf8BytesAsTheyAre()
    {
        Assert.Equal(new byte[] { 0x2f, 0xff, 0x2f, 0xfe }, PathBytes.Join([0x2f, 0xff], [0xfe]));
    }
}
