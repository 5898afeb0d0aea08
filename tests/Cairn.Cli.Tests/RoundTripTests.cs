using System.Text;
using System.Text.Json;

namespace Cairn.Cli.Tests;

/// <summary>Back up a tree with every kind of entry of the spine, restore it, compare every byte and field.</summary>
public sealed class RoundTripTests : IDisposable
{
    private readonly TestRepository _t = new();

    [Fact]
    public async Task EveryEntryKindAndMetadataFieldSurvivesBackupAndRestore()
    {
        var source = _t.PathOf("source");
        RichTree.Create(source, withHugeFile: true);
        await _t.InitAsync();
        var backup = await _t.RunAsync("backup", "--json", source);
        Assert.True(backup.ExitCode == 0, backup.ToString());

        var target = _t.PathOf("restored");
        var restore = await _t.RunAsync("restore", $"latest:{source}", "--target", target, "--verify");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        var entries = TreeAssert.Same(source, target, compareOwners: RichTree.IsRoot);
        Assert.True(entries > 40, $"only {entries} entries compared");
    }

    [Fact]
    public async Task RestoringOverAnEarlierRestoreReplacesWhatChangedThere()
    {
        var source = _t.PathOf("source");
        RichTree.Create(source, withHugeFile: false);
        await _t.InitAsync();
        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);
        var target = _t.PathOf("restored");
        Assert.Equal(0, (await _t.RunAsync("restore", $"latest:{source}", "--target", target)).ExitCode);

        // Someone edits the restored copy: new content, a file turned into a symlink, a file removed.
        var files = Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Where(f => !new FileInfo(f).Attributes.HasFlag(FileAttributes.ReparsePoint)).Order().ToList();
        File.WriteAllText(files[0], "edited after the restore");
        File.Delete(files[1]);
        File.CreateSymbolicLink(files[1], "/etc/hostname");
        File.Delete(files[2]);
        var again = await _t.RunAsync("restore", $"latest:{source}", "--target", target);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.True(TreeAssert.Same(source, target, compareOwners: RichTree.IsRoot) > 40);
    }

    [Fact]
    public async Task RepositoryHoldsNoPlaintext()
    {
        var source = _t.PathOf("source");
        RichTree.Create(source, withHugeFile: false);
        await _t.InitAsync();
        Assert.Equal(0, (await _t.RunAsync("backup", "--compression", "off", source)).ExitCode);
        var marker = Encoding.UTF8.GetBytes(RichTree.Marker);
        var names = new[] { "plain.txt", "back\\slash", new string('n', 40) }.Select(Encoding.UTF8.GetBytes).ToList();
        foreach (var file in Directory.EnumerateFiles(_t.Repo, "*", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(file);
            Assert.True(bytes.AsSpan().IndexOf(marker) < 0, $"{file} holds file content in plaintext");
            foreach (var name in names)
                Assert.True(bytes.AsSpan().IndexOf(name) < 0, $"{file} holds a file name in plaintext");
        }
    }

    [Fact]
    public async Task SecondBackupOfUnchangedTreeReadsNothingAndRestoreOfSubPathLandsInTarget()
    {
        var source = _t.PathOf("source");
        RichTree.Create(source, withHugeFile: false);
        await _t.InitAsync();
        var first = await _t.RunAsync("backup", "--json", source);
        Assert.Equal(0, first.ExitCode);
        var second = await _t.RunAsync("backup", "--json", source);
        Assert.Equal(0, second.ExitCode);
        using var json = JsonDocument.Parse(second.Output);
        var summary = json.RootElement.GetProperty("summary");
        Assert.Equal(0, summary.GetProperty("bytes_read").GetInt64());
        Assert.True(summary.GetProperty("files_unmodified").GetInt64() > 20);
        Assert.Equal(0, summary.GetProperty("files_new").GetInt64());
        Assert.NotNull(json.RootElement.GetProperty("parent").GetString());

        var target = _t.PathOf("sizes-only");
        var restore = await _t.RunAsync("restore", $"latest:{source}/sizes", "--target", target);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.True(File.Exists(Path.Combine(target, "size-1")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(source, "sizes", "copy-of-1MiB")), File.ReadAllBytes(Path.Combine(target, "copy-of-1MiB")));
    }

    [Fact]
    public async Task ListFindDiffAndStatsReportWhatWasStored()
    {
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "a.txt"), "one");
        await _t.InitAsync();
        Assert.Equal(0, (await _t.RunAsync("backup", "--tag", "first", source)).ExitCode);
        File.WriteAllText(Path.Combine(source, "b.pdf"), "two");
        File.AppendAllText(Path.Combine(source, "a.txt"), "more");
        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);

        var snapshots = await _t.RunAsync("snapshots", "--json");
        using var list = JsonDocument.Parse(snapshots.Output);
        Assert.Equal(2, list.RootElement.GetArrayLength());
        var firstId = list.RootElement[0].GetProperty("id").GetString()!;
        Assert.Equal("first", list.RootElement[0].GetProperty("tags")[0].GetString());

        var ls = await _t.RunAsync("ls", firstId[..8], source);
        Assert.Contains($"{source}/a.txt", ls.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("b.pdf", ls.Output, StringComparison.Ordinal);

        var find = await _t.RunAsync("find", "*.pdf");
        Assert.Contains("b.pdf", find.Output, StringComparison.Ordinal);
        Assert.Contains("1 matches", find.Output, StringComparison.Ordinal);

        var diff = await _t.RunAsync("diff", firstId, "latest");
        Assert.Contains($"+  {source}/b.pdf", diff.Output, StringComparison.Ordinal);
        Assert.Contains($"M  {source}/a.txt", diff.Output, StringComparison.Ordinal);

        var stats = await _t.RunAsync("stats", "--json");
        using var s = JsonDocument.Parse(stats.Output);
        Assert.Equal(2, s.RootElement.GetProperty("snapshots").GetInt32());
        Assert.True(s.RootElement.GetProperty("blobs").GetInt32() >= 4);
    }

    public void Dispose() => _t.Dispose();
}
