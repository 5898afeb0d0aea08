using System.Text.Json;

namespace Cairn.Cli.Tests;

/// <summary><c>cairn policy</c> and <c>forget --apply-policy</c>: stored policies, applied to what they cover, retroactively.</summary>
public sealed class PolicyTests : IDisposable
{
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    private async Task<List<(string Host, string Time)>> SnapshotsAsync() =>
        [.. JsonDocument.Parse((await _t.RunOkAsync("--json", "snapshots")).Output).RootElement.EnumerateArray()
            .Select(s => (s.GetProperty("host").GetString()!, s.GetProperty("time").GetString()![..10]))];

    /// <summary>Five daily snapshots of each of the hosts web and db.</summary>
    private async Task TwoHostsAsync()
    {
        await _t.InitAsync();
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        foreach (var host in new[] { "web", "db" })
        {
            for (var day = 1; day <= 5; day++)
            {
                File.WriteAllText(Path.Combine(source, "f"), $"{host} {day}");
                await _t.RunOkAsync("backup", "--host", host, "--time", $"2026-11-0{day}T10:00:00Z", source);
            }
        }
    }

    [Fact]
    public async Task Stored_policies_apply_to_what_they_cover_and_a_changed_policy_applies_again()
    {
        await TwoHostsAsync();
        await _t.RunOkAsync("policy", "set", "all", "--keep-last", "3");
        await _t.RunOkAsync("policy", "set", "web", "--host", "web", "--keep-last", "1");
        var show = await _t.RunOkAsync("policy", "show");
        Assert.Contains("web: host web: keep the last 1", show.Output, StringComparison.Ordinal);
        Assert.Contains("all: every snapshot: keep the last 3", show.Output, StringComparison.Ordinal);

        var dry = await _t.RunOkAsync("forget", "--apply-policy", "--dry-run");
        Assert.Contains("policy web: ", dry.Output, StringComparison.Ordinal);
        Assert.Equal(10, (await SnapshotsAsync()).Count);

        await _t.RunOkAsync("forget", "--apply-policy");
        var left = await SnapshotsAsync();
        Assert.Equal(["2026-11-05"], left.Where(s => s.Host == "web").Select(s => s.Time));
        Assert.Equal(["2026-11-03", "2026-11-04", "2026-11-05"], left.Where(s => s.Host == "db").Select(s => s.Time));

        // Tightened later: it applies to the snapshots already there.
        await _t.RunOkAsync("policy", "set", "all", "--keep-last", "2");
        await _t.RunOkAsync("forget", "--apply-policy");
        Assert.Equal(["2026-11-04", "2026-11-05"], (await SnapshotsAsync()).Where(s => s.Host == "db").Select(s => s.Time));
    }

    [Fact]
    public async Task Snapshots_no_policy_covers_are_kept_and_a_policy_destroy_after_removes_old_ones()
    {
        await TwoHostsAsync();
        await _t.RunOkAsync("policy", "set", "db", "--host", "db", "--destroy-after", "1d");
        var forget = await _t.RunOkAsync("forget", "--apply-policy");
        Assert.Contains("kept 5 snapshots that no stored policy covers", forget.Output, StringComparison.Ordinal);
        Assert.Contains("destroy-by 2026-11-02 10:00 passed", forget.Output, StringComparison.Ordinal);
        var left = await SnapshotsAsync();
        Assert.Equal(5, left.Count(s => s.Host == "web"));
        Assert.DoesNotContain(left, s => s.Host == "db");

        await _t.RunOkAsync("policy", "remove", "db");
        Assert.Contains("0 policies", (await _t.RunOkAsync("policy", "show")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Policy_mistakes_are_usage_errors()
    {
        await TwoHostsAsync();
        foreach (var args in new[]
        {
            new[] { "forget", "--apply-policy" },
            ["policy", "set", "Bad Name", "--keep-last", "1"],
            ["policy", "set", "empty"],
            ["policy", "set", "x", "--keep-within", "soon"],
            ["forget", "--apply-policy", "--keep-last", "1"],
        })
        {
            var run = await _t.RunAsync(args);
            Assert.True(run.ExitCode == 2, $"{string.Join(' ', args)}: {run}");
        }
        var remove = await _t.RunAsync("policy", "remove", "nothing");
        Assert.True(remove.ExitCode == 2, remove.ToString());
        Assert.Equal(10, (await SnapshotsAsync()).Count);
    }
}
