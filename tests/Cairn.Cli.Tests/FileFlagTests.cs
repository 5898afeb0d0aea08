using Cairn.Tests.Shared;

namespace Cairn.Cli.Tests;

/// <summary>
/// chattr flags are kept and restored (compared with lsattr), those that decide how data is written (nocow,
/// compress) on a real btrfs; --exclude-nodump leaves out what carries the nodump flag.
/// </summary>
public sealed class FileFlagTests : IDisposable
{
    private readonly TestRepository _t = new();

    public void Dispose()
    {
        // Immutable and append-only files cannot be deleted until the flags are gone.
        Shell.RunAsync("chattr", "-R", "-i", "-a", _t.Root).GetAwaiter().GetResult();
        _t.Dispose();
    }

    [Fact]
    public async Task Flags_round_trip_and_nodump_entries_can_be_left_out()
    {
        Assert.True(RichTree.IsRoot, "only root sets the immutable and append-only flags");
        await _t.InitAsync();
        var source = _t.PathOf("src");
        Directory.CreateDirectory(Path.Combine(source, "skipped-dir"));
        File.WriteAllText(Path.Combine(source, "skipped-dir", "inside"), "below a nodump directory");
        foreach (var (name, flag) in new[] { ("immutable", "+i"), ("append-only", "+a"), ("nodump", "+d"), ("noatime", "+A"), ("plain", "") })
        {
            var file = Path.Combine(source, name);
            File.WriteAllText(file, name);
            if (flag.Length > 0)
                Assert.Equal(0, await Shell.RunAsync("chattr", flag, file));
        }
        Assert.Equal(0, await Shell.RunAsync("chattr", "+d", Path.Combine(source, "skipped-dir")));

        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);
        var target = _t.PathOf("out");
        var restore = await _t.RunAsync("restore", $"latest:{source}", "--target", target);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        var expected = await SystemTools.FlagsAsync(source);
        Assert.Contains("i", expected["immutable"], StringComparison.Ordinal);
        Assert.Equal(expected, await SystemTools.FlagsAsync(target));
        Assert.Equal("append-only", File.ReadAllText(Path.Combine(target, "append-only")));

        var unflagged = _t.PathOf("unflagged");
        Assert.Equal(0, (await _t.RunAsync("restore", $"latest:{source}", "--target", unflagged, "--no-flags")).ExitCode);
        Assert.DoesNotContain("i", (await SystemTools.FlagsAsync(unflagged))["immutable"], StringComparison.Ordinal);

        Assert.Equal(0, (await _t.RunAsync("backup", "--exclude-nodump", source)).ExitCode);
        var ls = await _t.RunAsync("ls", "latest");
        Assert.Contains("/immutable", ls.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("/nodump", ls.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("skipped-dir", ls.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nocow_and_compress_come_back_on_btrfs_which_takes_them_only_before_the_data()
    {
        Assert.True(RichTree.IsRoot, "only root mounts a filesystem image");
        await _t.InitAsync();
        var image = _t.PathOf("btrfs.img");
        using (var file = File.Create(image))
            file.SetLength(256 << 20);
        Assert.Equal(0, await Shell.RunAsync("mkfs.btrfs", "-q", image));
        var mount = _t.PathOf("btrfs");
        Directory.CreateDirectory(mount);
        Assert.Equal(0, await Shell.RunAsync("mount", "-o", "loop", image, mount));
        try
        {
            var source = Path.Combine(mount, "src");
            Directory.CreateDirectory(source);
            var data = new byte[3 << 20]; // several chunks: the file is pre-sized before its data arrives
            new Random(7).NextBytes(data);
            foreach (var (name, flag) in new[] { ("nocow", "+C"), ("compressed", "+c") }) // btrfs refuses both on one file
            {
                var file = Path.Combine(source, name);
                File.WriteAllBytes(file, []);
                Assert.Equal(0, await Shell.RunAsync("chattr", flag, file));
                File.WriteAllBytes(file, data);
            }
            var expected = await SystemTools.FlagsAsync(source);
            Assert.Contains("C", expected["nocow"], StringComparison.Ordinal);
            Assert.Contains("c", expected["compressed"], StringComparison.Ordinal);
            Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);

            var target = Path.Combine(mount, "out");
            var restore = await _t.RunAsync("restore", $"latest:{source}", "--target", target, "--verify");

            Assert.True(restore.ExitCode == 0, restore.ToString());
            Assert.Equal(expected, await SystemTools.FlagsAsync(target));
        }
        finally
        {
            await Mounts.UnmountAsync(mount);
        }
    }
}
