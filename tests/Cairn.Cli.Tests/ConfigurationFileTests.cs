using Cairn.Commands.Configuration;
using Cairn.Core;
using Cairn.Core.Backup;

namespace Cairn.Cli.Tests;

/// <summary>cairn.toml: what it holds, and one test per kind of mistake, each naming the file, the line and the key.</summary>
public sealed class ConfigurationFileTests : IDisposable
{
    private const string File = "/etc/cairn/cairn.toml";
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public void Reads_restore_settings_and_change_detection_rules_in_order()
    {
        var configuration = ConfigurationFile.Parse("""
            # a comment
            [restore]
            quiet-metadata-warnings = true

            [[change-detection]]
            path = "/mnt/nfs"
            ignore-ctime = true
            ignore-inode = true

            [[change-detection]]
            path = "*.sqlite"
            rehash = true
            """, File);

        Assert.True(configuration.QuietMetadataWarnings);
        Assert.Equal(
            [new ChangeDetectionRule("/mnt/nfs", IgnoreCtime: true, IgnoreInode: true), new ChangeDetectionRule("*.sqlite", Rehash: true)],
            configuration.ChangeDetection);
    }

    [Fact]
    public void An_empty_file_sets_nothing()
    {
        var configuration = ConfigurationFile.Parse("", File);

        Assert.False(configuration.QuietMetadataWarnings);
        Assert.Empty(configuration.ChangeDetection);
    }

    [Theory]
    [InlineData("[restore]\nquiet-metadata-warning = true\n", 2, "unknown key 'restore.quiet-metadata-warning'")]
    [InlineData("[restore]\nquiet-metadata-warnings = \"yes\"\n", 2, "restore.quiet-metadata-warnings: expected true or false, found \"yes\"")]
    [InlineData("\n[restor]\n", 2, "unknown table [restor]; known ones: [restore]")]
    [InlineData("[[change-detection]]\npath = \"/a\"\nrehash = 1\n", 3, "change-detection.rehash: expected true or false, found 1")]
    [InlineData("[[change-detection]]\nignore-ctime = true\n", 1, "[[change-detection]] needs a 'path' pattern")]
    [InlineData("[[change-detection]]\npath = \"/a/[b\"\n", 2, "change-detection.path: invalid pattern '/a/[b': unclosed '['")]
    [InlineData("[[change-detection]]\npath = [\"/a\"]\n", 2, "change-detection.path: expected a path pattern in quotes")]
    [InlineData("quiet = true\n", 1, "unknown key 'quiet'")]
    [InlineData("[restore]\nquiet-metadata-warnings = \n", 2, "")]
    [InlineData("[restore]\n[restore]\n", 2, "")]
    public void Each_mistake_names_the_file_the_line_and_the_key(string text, int line, string message)
    {
        var e = Assert.Throws<CairnException>(() => ConfigurationFile.Parse(text, File));

        Assert.Equal(ErrorKind.InvalidInput, e.Kind);
        Assert.StartsWith($"{File}:{line}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mistake_stops_the_command_with_exit_code_2_and_one_line()
    {
        await _t.InitAsync();
        System.IO.File.WriteAllText(_t.ConfigFile, "[restore]\nquiet-metadata-warnings = maybe\n");

        var run = await _t.RunAsync("backup", _t.PasswordFile);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"cairn: {_t.ConfigFile}:2: ", run.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_t.Repo, "snapshots")));
    }

    [Fact]
    public void A_configuration_file_that_was_named_must_exist()
    {
        var e = Assert.Throws<CairnException>(() => ConfigurationFile.Locate(_t.PathOf("missing.toml")));

        Assert.Equal($"configuration file {_t.PathOf("missing.toml")} does not exist", e.Message);
    }
}
