using System.Text.Json;
using Cairn.Tests.Shared;

namespace Cairn.Cli.Tests;

/// <summary>
/// --ignore-ctime and --ignore-inode: a tree copied back in place with cp -a (new inodes, new ctimes, same sizes
/// and mtimes) is read again by a plain incremental backup and not read at all when both are ignored.
/// </summary>
public sealed class ChangeDetectionTests : IDisposable
{
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task Ignoring_ctime_and_inode_skips_files_whose_only_change_is_those()
    {
        await _t.InitAsync();
        var source = _t.PathOf("src");
        Directory.CreateDirectory(source);
        for (var i = 0; i < 20; i++)
            File.WriteAllText(Path.Combine(source, $"f{i}"), new string('x', 1000 + i));
        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);

        // Same names, sizes and mtimes; new inodes and ctimes.
        var moved = _t.PathOf("moved");
        Directory.Move(source, moved);
        Assert.Equal(0, await Shell.RunAsync("cp", "-a", moved, source));

        Assert.Equal(0L, await BytesReadAsync(source, "--ignore-ctime", "--ignore-inode"));
        Assert.Equal(0L, await BytesReadAsync(source)); // the snapshot just made is now the parent, with the new inodes

        await CopyAgainAsync(moved, source);
        Assert.Equal(20 * 1000 + 190L, await BytesReadAsync(source, "--ignore-inode"));
        await CopyAgainAsync(moved, source);
        Assert.Equal(20 * 1000 + 190L, await BytesReadAsync(source, "--ignore-ctime"));
        await CopyAgainAsync(moved, source);
        Assert.Equal(20 * 1000 + 190L, await BytesReadAsync(source));
    }

    [Fact]
    public async Task Rehash_reports_content_that_changed_behind_unchanged_size_and_mtime()
    {
        await _t.InitAsync();
        var source = _t.PathOf("src");
        Directory.CreateDirectory(source);
        var victim = Path.Combine(source, "victim");
        File.WriteAllText(victim, "original content");
        File.WriteAllText(Path.Combine(source, "bystander"), "never touched");
        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);

        // Same size, mtime put back (touch -r, to the nanosecond): only the ctime (which no program can set) tells. --ignore-ctime stands in for
        // corruption below the filesystem, which would not move the ctime either.
        var times = _t.PathOf("times");
        Assert.Equal(0, await Shell.RunAsync("touch", "-r", victim, times));
        File.WriteAllText(victim, "0riginal content");
        Assert.Equal(0, await Shell.RunAsync("touch", "-r", times, victim));
        Assert.Equal(0L, await BytesReadAsync(source, "--ignore-ctime"));

        var run = await _t.RunAsync(["--json", "backup", "--rehash", "--ignore-ctime", source]);
        Assert.True(run.ExitCode == 3, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal(1, json.RootElement.GetProperty("summary").GetProperty("files_silently_changed").GetInt64());
        Assert.Contains("victim", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("bystander", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rehash_finds_corruption_below_the_filesystem_that_a_plain_backup_cannot_see()
    {
        await _t.InitAsync();
        var image = _t.PathOf("ext4.img");
        using (var file = File.Create(image))
            file.SetLength(32 << 20);
        Assert.Equal(0, await Shell.RunAsync("mkfs.ext4", "-q", "-F", "-b", "4096", image));
        var mount = _t.PathOf("ext4");
        Directory.CreateDirectory(mount);
        Assert.Equal(0, await Shell.RunAsync("mount", "-o", "loop", image, mount));
        try
        {
            File.WriteAllText(Path.Combine(mount, "victim"), new string('a', 8192));
            File.WriteAllText(Path.Combine(mount, "bystander"), "never touched");
            Assert.Equal(0, (await _t.RunAsync("backup", mount)).ExitCode);
        }
        finally
        {
            Assert.True(await Mounts.UnmountAsync(mount), $"{mount} stayed busy");
        }

        // Flip bytes in the image where the file's data lies, as a failing disk would: size, mtime, ctime and inode stay.
        var block = await SystemTools.FirstBlockAsync(image, "/victim");
        using (var disk = File.OpenWrite(image))
        {
            disk.Position = block * 4096 + 100;
            disk.Write("ZZZZ"u8);
        }
        Assert.Equal(0, await Shell.RunAsync("mount", "-o", "loop", image, mount));
        try
        {
            Assert.StartsWith(new string('a', 100) + "ZZZZa", File.ReadAllText(Path.Combine(mount, "victim")), StringComparison.Ordinal);
            Assert.Equal(0L, await BytesReadAsync(mount)); // nothing in the metadata says the file changed

            var run = await _t.RunAsync(["--json", "backup", "--rehash", mount]);
            Assert.True(run.ExitCode == 3, run.ToString());
            using var json = JsonDocument.Parse(run.Output);
            Assert.Equal(1, json.RootElement.GetProperty("summary").GetProperty("files_silently_changed").GetInt64());
            Assert.Contains("victim: content changed although size, times and inode did not", run.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("bystander", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            Assert.True(await Mounts.UnmountAsync(mount), $"{mount} stayed busy");
        }
    }

    [Fact]
    public async Task Change_detection_rules_in_the_configuration_apply_to_their_paths_only()
    {
        await _t.InitAsync();
        var source = _t.PathOf("src");
        var untrusted = Path.Combine(source, "fuse");
        var trusted = Path.Combine(source, "local");
        Directory.CreateDirectory(untrusted);
        Directory.CreateDirectory(trusted);
        foreach (var directory in new[] { untrusted, trusted })
            File.WriteAllText(Path.Combine(directory, "victim"), "original content");
        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);

        // Both files get new content behind their old size and mtime; only the ctime moves.
        foreach (var directory in new[] { untrusted, trusted })
        {
            var victim = Path.Combine(directory, "victim");
            var times = Path.Combine(directory, "times");
            Assert.Equal(0, await Shell.RunAsync("touch", "-r", victim, times));
            File.WriteAllText(victim, "0riginal content");
            Assert.Equal(0, await Shell.RunAsync("touch", "-r", times, victim));
            File.Delete(times);
        }
        File.WriteAllText(_t.ConfigFile, $"""
            # ctime cannot be trusted below {untrusted}: look at the content instead
            [[change-detection]]
            path = "{untrusted}"
            ignore-ctime = true
            rehash = true
            """);

        var run = await _t.RunAsync(["--json", "backup", source]);
        Assert.True(run.ExitCode == 3, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var summary = json.RootElement.GetProperty("summary");
        Assert.Equal(1, summary.GetProperty("files_silently_changed").GetInt64());
        Assert.Equal(2, summary.GetProperty("files_changed").GetInt64()); // the trusted one was read for its ctime
        Assert.Contains(Path.Combine(untrusted, "victim") + ": content changed although", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.Combine(trusted, "victim") + ":", run.Error, StringComparison.Ordinal);
    }

    /// <summary>Replaces the source with a new copy; the old one is kept aside so that its inode numbers are not reused.</summary>
    private async Task CopyAgainAsync(string from, string source)
    {
        Directory.Move(source, _t.PathOf("aside-" + Guid.NewGuid().ToString("N")));
        Assert.Equal(0, await Shell.RunAsync("cp", "-a", from, source));
    }

    private async Task<long> BytesReadAsync(string source, params string[] options)
    {
        var run = await _t.RunAsync(["--json", "backup", .. options, source]);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        return json.RootElement.GetProperty("summary").GetProperty("bytes_read").GetInt64();
    }
}
