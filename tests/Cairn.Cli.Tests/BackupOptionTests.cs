using System.Text.Json;
using Cairn.Tests.Shared;

namespace Cairn.Cli.Tests;

/// <summary>What the backup options select and record.</summary>
public sealed class BackupOptionTests : IDisposable
{
    private readonly TestRepository _t = new();

    private string Tree()
    {
        var source = _t.PathOf("source");
        foreach (var dir in new[] { "keep", "cache", "build/obj", "private" })
            Directory.CreateDirectory(Path.Combine(source, dir));
        File.WriteAllText(Path.Combine(source, "keep", "a.txt"), "a");
        File.WriteAllText(Path.Combine(source, "keep", "b.tmp"), "b");
        File.WriteAllText(Path.Combine(source, "cache", "c.txt"), "c");
        File.WriteAllText(Path.Combine(source, "build", "obj", "d.o"), "d");
        File.WriteAllText(Path.Combine(source, "private", ".nobackup"), "");
        File.WriteAllText(Path.Combine(source, "private", "e.txt"), "e");
        return source;
    }

    [Fact]
    public async Task ExcludesExcludeFilesAndMarkerFilesLeaveTheRightEntriesOut()
    {
        var source = Tree();
        var excludeFile = _t.PathOf("excludes");
        File.WriteAllText(excludeFile, "# build output\n\n/**/build/obj\n");
        await _t.InitAsync();
        var run = await _t.RunAsync("backup", "--exclude", "*.tmp", "--exclude", $"{source}/cache", "--exclude-file", excludeFile,
            "--exclude-if-present", ".nobackup", source);
        Assert.True(run.ExitCode == 0, run.ToString());
        var ls = (await _t.RunAsync("ls", "latest", source)).Output;
        Assert.Contains("keep/a.txt", ls, StringComparison.Ordinal);
        Assert.Contains($"{source}/build", ls, StringComparison.Ordinal);
        foreach (var gone in new[] { "b.tmp", "c.txt", "d.o", "e.txt", "private" })
            Assert.DoesNotContain(gone, ls, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRunStoresNothingButCountsWhatWouldBeAdded()
    {
        var source = Tree();
        await _t.InitAsync();
        var before = RepositoryFiles.Fingerprint(_t.Repo);
        var run = await _t.RunAsync("backup", "--dry-run", "--json", source);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        Assert.True(json.RootElement.GetProperty("dry_run").GetBoolean());
        Assert.True(json.RootElement.GetProperty("summary").GetProperty("data_added").GetInt64() > 0);
        Assert.Equal(before, RepositoryFiles.Fingerprint(_t.Repo));
    }

    [Fact]
    public async Task HostTimeTagsAndParentAreRecorded()
    {
        var source = Tree();
        await _t.InitAsync();
        Assert.Equal(0, (await _t.RunAsync("backup", "--host", "other-host", "--time", "2001-02-03T04:05:06Z", "--tag", "a", "--tag", "b", source)).ExitCode);
        var first = JsonDocument.Parse((await _t.RunAsync("snapshots", "--json")).Output).RootElement[0];
        Assert.Equal("other-host", first.GetProperty("host").GetString());
        Assert.Equal(new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero), first.GetProperty("time").GetDateTimeOffset());
        Assert.Equal(["a", "b"], first.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));

        // Another host's snapshot is not this host's parent, unless named with --parent.
        var plain = JsonDocument.Parse((await _t.RunAsync("backup", "--json", source)).Output).RootElement;
        Assert.Equal(JsonValueKind.Null, plain.TryGetProperty("parent", out var p) ? p.ValueKind : JsonValueKind.Null);
        var named = JsonDocument.Parse((await _t.RunAsync("backup", "--json", "--parent", first.GetProperty("id").GetString()![..8], source)).Output).RootElement;
        Assert.Equal(first.GetProperty("id").GetString(), named.GetProperty("parent").GetString());
        Assert.True(named.GetProperty("summary").GetProperty("files_unmodified").GetInt64() >= 4);
        var snapshots = await _t.RunAsync("snapshots", "--host", "other-host");
        Assert.Contains("1 snapshots", snapshots.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneFileSystemKeepsTheMountPointButNotWhatIsMountedOnIt()
    {
        if (!RichTree.IsRoot)
            return; // mounting needs root; CI runs as root
        var source = Tree();
        var mount = Path.Combine(source, "mnt");
        Directory.CreateDirectory(mount);
        Assert.Equal(0, await Shell.RunAsync("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount));
        try
        {
            File.WriteAllText(Path.Combine(mount, "other-fs.txt"), "x");
            await _t.InitAsync();
            Assert.Equal(0, (await _t.RunAsync("backup", "--one-file-system", source)).ExitCode);
            var ls = (await _t.RunAsync("ls", "latest", source)).Output;
            Assert.Contains($"{source}/mnt", ls, StringComparison.Ordinal);
            Assert.DoesNotContain("other-fs.txt", ls, StringComparison.Ordinal);
            Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);
            Assert.Contains("other-fs.txt", (await _t.RunAsync("ls", "latest", source)).Output, StringComparison.Ordinal);
        }
        finally
        {
            await Mounts.UnmountAsync(mount);
        }
    }

    [Fact]
    public async Task AStoreThatCannotBeWrittenExits14WithOneLine()
    {
        if (!RichTree.IsRoot)
            return; // needs another user; CI runs as root
        var source = Tree();
        await _t.InitAsync();
        foreach (var dir in new[] { _t.Root, source })
            Cairn.Core.Platform.Posix.Chmod(RichTree.Bytes(dir), 0x1FF);
        Cairn.Core.Platform.Posix.Chmod(RichTree.Bytes(_t.PasswordFile), 0x1A4);
        // The repository stays root's: readable by others, not writable.
        var run = await _t.RunProcessAsync(["backup", source], asUser: "65534");
        Assert.True(run.ExitCode == 14, run.ToString());
        Assert.Contains("permission denied", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Trim().Split('\n'));
    }


    public void Dispose() => _t.Dispose();
}
