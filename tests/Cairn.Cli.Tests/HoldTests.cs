using System.Text.Json;

namespace Cairn.Cli.Tests;

/// <summary><c>cairn hold</c> and <c>backup --destroy-after</c>, and how forget and snapshots honour them.</summary>
public sealed class HoldTests : IDisposable
{
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    private async Task<List<JsonElement>> SnapshotsAsync() =>
        [.. JsonDocument.Parse((await _t.RunOkAsync("--json", "snapshots")).Output).RootElement.EnumerateArray()];

    private async Task<string> ThreeSnapshotsAsync()
    {
        await _t.InitAsync();
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        for (var i = 0; i < 3; i++)
        {
            File.WriteAllText(Path.Combine(source, "f"), $"version {i}");
            await _t.RunOkAsync("backup", "--time", $"2026-11-0{i + 1}T10:00:00Z", source);
        }
        return (await SnapshotsAsync())[0].GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task A_held_snapshot_survives_forget_until_its_hold_is_released()
    {
        var oldest = await ThreeSnapshotsAsync();
        Directory.Delete(Path.Combine(_t.Repo, "holds")); // as in a repository made before holds existed
        Assert.Equal(3, (await SnapshotsAsync()).Count);
        var placed = await _t.RunOkAsync("hold", oldest[..8], "--until", "2099-12-31", "--reason", "audit 2026");
        Assert.Contains("held until 2099-12-31", placed.Output, StringComparison.Ordinal);

        var held = (await SnapshotsAsync())[0];
        Assert.Equal("audit 2026", held.GetProperty("hold_reason").GetString());
        Assert.StartsWith("2099-12-31", held.GetProperty("held_until").GetString(), StringComparison.Ordinal);
        Assert.Contains("1 active holds", (await _t.RunOkAsync("hold")).Output, StringComparison.Ordinal);
        Assert.Contains("[held until 2099-12-31 23:59:59 (audit 2026)]", (await _t.RunOkAsync("snapshots")).Output, StringComparison.Ordinal);

        var byName = await _t.RunAsync("forget", oldest[..8]);
        Assert.True(byName.ExitCode == 2, byName.ToString());
        Assert.Contains("is held until 2099-12-31", byName.Error, StringComparison.Ordinal);
        var byPolicy = await _t.RunOkAsync("forget", "--keep-last", "1");
        Assert.Contains("held until 2099-12-31", byPolicy.Output, StringComparison.Ordinal);
        Assert.Equal(2, (await SnapshotsAsync()).Count);

        Assert.Contains("released 1 hold", (await _t.RunOkAsync("hold", oldest[..8], "--release")).Output, StringComparison.Ordinal);
        await _t.RunOkAsync("forget", "--keep-last", "1");
        Assert.Single(await SnapshotsAsync());
        Assert.Empty(Directory.GetFiles(Path.Combine(_t.Repo, "holds")));
    }

    [Fact]
    public async Task A_snapshot_past_its_destroy_by_date_is_removed_by_a_policy_forget_even_if_a_rule_would_keep_it()
    {
        await _t.InitAsync();
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "f"), "kept");
        await _t.RunOkAsync("backup", "--time", "2026-11-01T10:00:00Z", source);
        File.WriteAllText(Path.Combine(source, "f"), "short-lived");
        await _t.RunOkAsync("backup", "--time", "2026-11-02T10:00:00Z", "--destroy-after", "2d", source);
        var marked = (await SnapshotsAsync())[1];
        Assert.StartsWith("2026-11-04T10:00:00", marked.GetProperty("destroy_after").GetString(), StringComparison.Ordinal);
        Assert.Contains("[destroy after ", (await _t.RunOkAsync("snapshots")).Output, StringComparison.Ordinal);

        var forget = await _t.RunOkAsync("forget", "--keep-last", "5");
        Assert.Contains("destroy-by 2026-11-04 10:00 passed", forget.Output, StringComparison.Ordinal);
        var left = Assert.Single(await SnapshotsAsync());
        Assert.Equal("2026-11-01T10:00:00+00:00", left.GetProperty("time").GetString());
    }

    [Fact]
    public async Task Bad_holds_are_usage_errors()
    {
        var oldest = await ThreeSnapshotsAsync();
        foreach (var args in new[] { new[] { "hold", oldest, "--until", "2001-01-01" }, ["hold", oldest], ["hold", oldest, "--until", "someday"], ["hold", "--release"] })
        {
            var run = await _t.RunAsync(args);
            Assert.True(run.ExitCode == 2, $"{string.Join(' ', args)}: {run}");
        }
        var backup = await _t.RunAsync("backup", "--destroy-after", "soon", _t.PasswordFile);
        Assert.True(backup.ExitCode == 2, backup.ToString());
        Assert.Empty(Directory.GetFiles(Path.Combine(_t.Repo, "holds")));
    }
}
