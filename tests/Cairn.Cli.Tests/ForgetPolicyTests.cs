using System.Text.Json;

namespace Cairn.Cli.Tests;

/// <summary><c>cairn forget --keep-*</c>: groups, reasons for every snapshot, dry runs and the refusals that protect a group.</summary>
public sealed class ForgetPolicyTests : IDisposable
{
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    private async Task<string> BackUpDaysAsync(string host, int days, params string[] tags)
    {
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        for (var day = 1; day <= days; day++)
        {
            File.WriteAllText(Path.Combine(source, "file"), $"{host} day {day}");
            var run = await _t.RunAsync(["backup", "--host", host, "--time", $"2026-11-{day:00}T10:00:00Z", .. tags.SelectMany(t => new[] { "--tag", t }), source]);
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        return source;
    }

    private async Task<List<(string Host, string Time)>> SnapshotsAsync()
    {
        var run = await _t.RunAsync("--json", "snapshots");
        return [.. JsonDocument.Parse(run.Output).RootElement.EnumerateArray()
            .Select(s => (s.GetProperty("host").GetString()!, s.GetProperty("time").GetDateTimeOffset().UtcDateTime.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture)))];
    }

    [Fact]
    public async Task A_dry_run_shows_each_decision_and_its_reason_and_the_real_run_removes_the_rest()
    {
        await _t.InitAsync();
        await BackUpDaysAsync("laptop", 6);

        var dry = await _t.RunAsync("forget", "--keep-daily", "3", "--keep-last", "1", "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains("keep the last 1, 3 daily", dry.Output, StringComparison.Ordinal);
        Assert.Contains("last, daily", dry.Output, StringComparison.Ordinal);
        Assert.Equal(3, dry.Output.Split('\n').Count(l => l.Contains("  remove  ", StringComparison.Ordinal) && l.EndsWith("no rule keeps it", StringComparison.Ordinal)));
        Assert.Contains("would remove 3 snapshots", dry.Output, StringComparison.Ordinal);
        Assert.Equal(6, (await SnapshotsAsync()).Count);

        var real = await _t.RunAsync("--json", "forget", "--keep-daily", "3");
        Assert.True(real.ExitCode == 0, real.ToString());
        using var json = JsonDocument.Parse(real.Output);
        var decisions = json.RootElement.GetProperty("groups")[0].GetProperty("decisions").EnumerateArray().ToList();
        Assert.Equal(6, decisions.Count);
        Assert.Equal(["daily"], decisions[0].GetProperty("reasons").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([("laptop", "11-04"), ("laptop", "11-05"), ("laptop", "11-06")], await SnapshotsAsync());
    }

    [Fact]
    public async Task Each_host_is_its_own_group_unless_grouping_is_turned_off()
    {
        await _t.InitAsync();
        await BackUpDaysAsync("laptop", 3);
        await BackUpDaysAsync("server", 2);

        Assert.Equal(0, (await _t.RunAsync("forget", "--keep-last", "1")).ExitCode);
        Assert.Equal([("laptop", "11-03"), ("server", "11-02")], (await SnapshotsAsync()).Order().ToList());

        Assert.Equal(0, (await _t.RunAsync("forget", "--keep-last", "1", "--group-by", "")).ExitCode);
        Assert.Equal([("laptop", "11-03")], await SnapshotsAsync());
    }

    [Fact]
    public async Task Filters_narrow_what_is_considered()
    {
        await _t.InitAsync();
        await BackUpDaysAsync("laptop", 3);
        await BackUpDaysAsync("server", 3);

        Assert.Equal(0, (await _t.RunAsync("forget", "--host", "server", "--keep-last", "1")).ExitCode);

        Assert.Equal(4, (await SnapshotsAsync()).Count);
        Assert.Single(await SnapshotsAsync(), s => s.Host == "server");
    }

    [Fact]
    public async Task A_policy_that_would_empty_a_group_and_a_missing_policy_remove_nothing()
    {
        await _t.InitAsync();
        await BackUpDaysAsync("laptop", 3);

        var tagOnly = await _t.RunAsync("forget", "--keep-tag", "precious");
        var nothing = await _t.RunAsync("forget");
        var both = await _t.RunAsync("forget", "--keep-last", "1", "latest");

        Assert.True(tagOnly.ExitCode == 2, tagOnly.ToString());
        Assert.Contains("the policy keeps no snapshot of the group host laptop", tagOnly.Error, StringComparison.Ordinal);
        Assert.True(nothing.ExitCode == 2, nothing.ToString());
        Assert.Contains("no snapshots and no policy given: nothing removed", nothing.Error, StringComparison.Ordinal);
        Assert.True(both.ExitCode == 2, both.ToString());
        Assert.Equal(3, (await SnapshotsAsync()).Count);
    }

    [Fact]
    public async Task Malformed_rules_are_usage_errors()
    {
        await _t.InitAsync();

        Assert.Equal(2, (await _t.RunAsync("forget", "--keep-daily", "many")).ExitCode);
        Assert.Equal(2, (await _t.RunAsync("forget", "--keep-within", "1w")).ExitCode);
        Assert.Equal(2, (await _t.RunAsync("forget", "--keep-last", "1", "--group-by", "color")).ExitCode);
    }
}
