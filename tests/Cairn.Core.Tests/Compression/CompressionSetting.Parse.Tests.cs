using Cairn.Core.Compression;

namespace Cairn.Core.Tests.Compression;

public sealed class CompressionSettingParseTests
{
    [Theory]
    [InlineData("off", 0, false)]
    [InlineData("none", 0, false)]
    [InlineData("0", 0, false)]
    [InlineData("auto", 3, true)]
    [InlineData("fastest", 1, false)]
    [InlineData("default", 3, false)]
    [InlineData("max", 19, false)]
    [InlineData("1", 1, false)]
    [InlineData("7", 7, false)]
    [InlineData("22", 22, false)]
    [InlineData(" AUTO ", 3, true)]
    [InlineData("Max", 19, false)]
    public void Parse_ValidText_GivesTheSetting(string text, int level, bool auto)
    {
        Assert.Equal(new CompressionSetting(level, auto), CompressionSetting.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("23")]
    [InlineData("-1")]
    [InlineData("+3")]
    [InlineData("3.5")]
    [InlineData("fast")]
    [InlineData("zstd")]
    [InlineData("auto3")]
    [InlineData("99999999999")]
    public void Parse_InvalidText_ThrowsFormatException(string text)
    {
        Assert.Throws<FormatException>(() => CompressionSetting.Parse(text));
    }

    [Fact]
    public void Parse_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => CompressionSetting.Parse(null!));
    }

    [Theory]
    [InlineData("off", "off")]
    [InlineData("auto", "auto")]
    [InlineData("max", "19")]
    [InlineData("5", "5")]
    public void ToString_GivesTextThatParsesBack(string text, string expected)
    {
        var setting = CompressionSetting.Parse(text);

        Assert.Equal(expected, setting.ToString());
        Assert.Equal(setting, CompressionSetting.Parse(setting.ToString()));
    }

    [Fact]
    public void NamedSettings_HaveTheDocumentedLevels()
    {
        Assert.Equal(new CompressionSetting(0, false), CompressionSetting.Off);
        Assert.Equal(new CompressionSetting(3, true), CompressionSetting.AutoDefault);
    }
}
