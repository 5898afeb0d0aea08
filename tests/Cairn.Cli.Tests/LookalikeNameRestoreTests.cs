using Cairn.Tests.Shared;

namespace Cairn.Cli.Tests;

/// <summary>
/// A snapshot of a Linux tree may hold names that differ only in case ("Makefile" and "makefile"); a filesystem that
/// does not tell them apart (exFAT, FAT, SMB, casefolded ext4) can hold only one. The restore keeps the first, says
/// which it left out, and neither replaces the first nor mixes two directories' contents; where the filesystem does
/// tell them apart, it restores both.
/// </summary>
public sealed class LookalikeNameRestoreTests : IDisposable
{
    private static readonly string Composed = "caf\u00e9";
    private static readonly string Decomposed = "cafe\u0301";
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    private async Task<string> BackUpLookalikesAsync()
    {
        await _t.InitAsync();
        var source = _t.PathOf("src");
        Directory.CreateDirectory(Path.Combine(source, "Docs"));
        Directory.CreateDirectory(Path.Combine(source, "docs", "deeper"));
        Directory.CreateDirectory(Path.Combine(source, "notes"));
        File.WriteAllText(Path.Combine(source, "Makefile"), "upper");
        File.WriteAllText(Path.Combine(source, "makefile"), "lower");
        File.WriteAllText(Path.Combine(source, "Docs", "a"), "in Docs");
        File.WriteAllText(Path.Combine(source, "docs", "b"), "in docs");
        File.WriteAllText(Path.Combine(source, "docs", "deeper", "c"), "deeper in docs");
        File.WriteAllText(Path.Combine(source, "notes", "d"), "a directory after the one left out");
        File.WriteAllText(Path.Combine(source, Composed), "composed");
        File.WriteAllText(Path.Combine(source, Decomposed), "decomposed");
        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);
        return source;
    }

    [Fact]
    public async Task Onto_a_filesystem_that_ignores_case_the_first_of_two_lookalikes_is_restored_and_the_other_reported()
    {
        Assert.True(RichTree.IsRoot, "only root mounts a filesystem image");
        var source = await BackUpLookalikesAsync();
        var image = _t.PathOf("disk.img");
        using (var file = File.Create(image))
            file.SetLength(64 << 20);
        Assert.Equal(0, await Shell.RunAsync("mkfs.exfat", image));
        var mount = _t.PathOf("disk");
        Directory.CreateDirectory(mount);
        Assert.Equal(0, await Shell.RunAsync("mount", "-t", "exfat-fuse", "-o", "loop", image, mount));
        try
        {
            foreach (var run in new[] { "first", "again" })
            {
                var restore = await _t.RunAsync("restore", $"latest:{source}", "--target", mount, "--verify");

                Assert.True(restore.ExitCode == 4, $"{run}: {restore}"); // entries not restored
                var reported = restore.Error.Split('\n').Where(l => l.StartsWith("warning: ", StringComparison.Ordinal)).ToList();
                Assert.True(reported.Count == 2, $"{run}: {restore}");
                Assert.Contains(reported, l => l.StartsWith($"warning: {mount}/makefile: not restored: this filesystem takes its name for Makefile, restored beside it", StringComparison.Ordinal));
                Assert.Contains(reported, l => l.StartsWith($"warning: {mount}/docs: directory not restored, nor anything in it: this filesystem takes its name for Docs", StringComparison.Ordinal));
                Assert.Contains("2 entries were not restored correctly", restore.Error, StringComparison.Ordinal);
                Assert.Equal("upper", File.ReadAllText(Path.Combine(mount, "Makefile")));
                Assert.Equal("in Docs", File.ReadAllText(Path.Combine(mount, "Docs", "a")));
                Assert.False(File.Exists(Path.Combine(mount, "Docs", "b")), $"{run}: the two directories' contents were mixed");
                Assert.False(Directory.Exists(Path.Combine(mount, "Docs", "deeper")), $"{run}: the two directories' contents were mixed");
                Assert.Equal("a directory after the one left out", File.ReadAllText(Path.Combine(mount, "notes", "d")));
                // exFAT folds case only: the two forms of one accented name are two names there.
                Assert.Equal("composed", File.ReadAllText(Path.Combine(mount, Composed)));
                Assert.Equal("decomposed", File.ReadAllText(Path.Combine(mount, Decomposed)));
                Assert.Empty(Directory.GetFileSystemEntries(mount, ".cairn-probe-*"));
            }
            // A lookalike that --include leaves out is no error, nor a directory with nothing included in it.
            var some = await _t.RunAsync("restore", $"latest:{source}", "--target", mount, "--include", "Makefile", "--include", "Docs", "--include", "docs/deeper");
            Assert.True(some.ExitCode == 4, some.ToString());
            Assert.DoesNotContain("makefile", some.Error, StringComparison.Ordinal);
            Assert.Contains($"warning: {mount}/docs: directory not restored, nor anything in it", some.Error, StringComparison.Ordinal);
            var none = await _t.RunAsync("restore", $"latest:{source}", "--target", mount, "--include", "Makefile", "--include", "Docs");
            Assert.True(none.ExitCode == 0 && !none.Error.Contains("warning", StringComparison.Ordinal), none.ToString());
        }
        finally
        {
            await Mounts.UnmountAsync(mount);
        }
    }

    [Fact]
    public async Task Onto_a_filesystem_that_tells_them_apart_every_lookalike_is_restored()
    {
        var source = await BackUpLookalikesAsync();
        var target = _t.PathOf("restored");

        var restore = await _t.RunAsync("restore", $"latest:{source}", "--target", target, "--verify");

        Assert.True(restore.ExitCode == 0, restore.ToString());
        TreeAssert.Same(source, target, compareOwners: false);
        Assert.Empty(Directory.GetFileSystemEntries(target, ".cairn-probe-*"));
    }
}
