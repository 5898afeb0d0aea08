using System.Text.Json;

namespace Cairn.Cli.Tests;

/// <summary><c>repair index</c> and <c>repair snapshots</c> after a pack is lost: everything not in it restores.</summary>
public sealed class RepairTests : IDisposable
{
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    /// <summary>40 files of 1 MiB in two directories: three data packs.</summary>
    private string Source()
    {
        var source = _t.PathOf("source");
        var random = new Random(31);
        var data = new byte[1 << 20];
        for (var i = 0; i < 40; i++)
        {
            var dir = Path.Combine(source, i % 2 == 0 ? "even" : "odd");
            Directory.CreateDirectory(dir);
            random.NextBytes(data);
            File.WriteAllBytes(Path.Combine(dir, $"file{i:00}"), data);
        }
        return source;
    }

    /// <summary>The packs of data blobs (the tree packs are the small ones).</summary>
    private List<string> DataPacks() => [.. RepositoryFiles.Packs(_t.Repo).Where(p => new FileInfo(p).Length > 4_000_000)];

    [Fact]
    public async Task After_a_pack_is_lost_every_file_not_in_it_restores_from_the_repaired_snapshot()
    {
        var source = Source();
        await _t.InitAsync();
        await _t.RunOkAsync("backup", "--compression", "off", source);
        var packs = DataPacks();
        Assert.True(packs.Count >= 2, $"{packs.Count} data packs");
        File.Delete(packs[0]);
        Assert.Equal(4, (await _t.RunAsync("check")).ExitCode);

        var dry = await _t.RunOkAsync("repair", "snapshots", "--dry-run");
        Assert.Contains("checked 1 snapshots: 1 damaged", dry.Output, StringComparison.Ordinal);
        var index = await _t.RunOkAsync("repair", "index");
        Assert.Contains("removed", index.Output, StringComparison.Ordinal);
        var repair = JsonDocument.Parse((await _t.RunOkAsync("--json", "repair", "snapshots", "--forget")).Output).RootElement;
        var repaired = repair.GetProperty("repaired").EnumerateArray().Single();
        var lost = repaired.GetProperty("lost").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.NotEmpty(lost);
        Assert.True(lost.Count < 20, string.Join(", ", lost));

        await _t.RunOkAsync("check", "--read-data");
        var snapshots = JsonDocument.Parse((await _t.RunOkAsync("--json", "snapshots")).Output).RootElement.EnumerateArray().ToList();
        var only = Assert.Single(snapshots);
        Assert.Contains("repaired", only.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(repaired.GetProperty("original").GetString(), only.GetProperty("repaired_from").GetString());
        Assert.Equal(lost, only.GetProperty("lost").EnumerateArray().Select(p => p.GetString()!).ToList());
        var target = _t.PathOf("restored");
        await _t.RunOkAsync("restore", $"latest:{source}", "--target", target, "--verify");

        var all = Directory.GetFiles(source, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(source, f)).Order().ToList();
        var restored = Directory.GetFiles(target, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(target, f)).Order().ToList();
        Assert.Equal(all.Count, restored.Count + lost.Count);
        foreach (var file in restored)
            Assert.Equal(File.ReadAllBytes(Path.Combine(source, file)), File.ReadAllBytes(Path.Combine(target, file)));
        foreach (var path in lost)
        {
            Assert.StartsWith(source + "/", path, StringComparison.Ordinal);
            var relative = Path.GetRelativePath(source, path);
            Assert.Contains(relative, all);
            Assert.DoesNotContain(relative, restored);
        }
        Assert.Contains("0 damaged", (await _t.RunOkAsync("repair", "snapshots")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_snapshot_whose_trees_are_all_lost_is_reported_and_removed_with_forget()
    {
        var source = Source();
        await _t.InitAsync();
        await _t.RunOkAsync("backup", "--compression", "off", source);
        foreach (var treePack in RepositoryFiles.Packs(_t.Repo).Where(p => new FileInfo(p).Length < 4_000_000))
            File.Delete(treePack);
        await _t.RunOkAsync("repair", "index");
        var repair = await _t.RunOkAsync("repair", "snapshots", "--forget");
        Assert.Contains("nothing could be kept, original removed", repair.Output, StringComparison.Ordinal);
        Assert.Contains("lost: /", repair.Output, StringComparison.Ordinal);
        Assert.Equal("[]", (await _t.RunOkAsync("--json", "snapshots")).Output.Trim());
        await _t.RunOkAsync("check");
    }

    [Fact]
    public async Task Repair_with_forget_moves_a_hold_to_the_copy_and_keeps_a_held_snapshot_nothing_of_which_survived()
    {
        var source = Source();
        await _t.InitAsync();
        await _t.RunOkAsync("backup", "--compression", "off", source);
        await _t.RunOkAsync("hold", "latest", "--until", "2099-01-01", "--reason", "case 7");
        File.Delete(DataPacks()[0]);
        await _t.RunOkAsync("repair", "index");
        await _t.RunOkAsync("repair", "snapshots", "--forget");
        var copy = Assert.Single(JsonDocument.Parse((await _t.RunOkAsync("--json", "snapshots")).Output).RootElement.EnumerateArray());
        Assert.StartsWith("2099-01-01", copy.GetProperty("held_until").GetString(), StringComparison.Ordinal);
        Assert.Contains("case 7 (moved from", copy.GetProperty("hold_reason").GetString(), StringComparison.Ordinal);

        // Nothing of it survives now, and the hold keeps it.
        foreach (var pack in RepositoryFiles.Packs(_t.Repo))
            File.Delete(pack);
        await _t.RunOkAsync("repair", "index");
        var repair = await _t.RunOkAsync("repair", "snapshots", "--forget");
        Assert.Contains("nothing could be kept", repair.Output, StringComparison.Ordinal);
        Assert.Single(JsonDocument.Parse((await _t.RunOkAsync("--json", "snapshots")).Output).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task Repair_on_a_healthy_repository_changes_nothing()
    {
        var source = Source();
        await _t.InitAsync();
        await _t.RunOkAsync("backup", source);
        var snapshotsBefore = Directory.GetFiles(Path.Combine(_t.Repo, "snapshots")).Order().ToList();
        await _t.RunOkAsync("repair", "index");
        var repair = await _t.RunOkAsync("repair", "snapshots");
        Assert.Contains("0 damaged", repair.Output, StringComparison.Ordinal);
        Assert.Equal(snapshotsBefore, Directory.GetFiles(Path.Combine(_t.Repo, "snapshots")).Order().ToList());
        await _t.RunOkAsync("check", "--read-data");
    }
}
