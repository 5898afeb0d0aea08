using System.Text.Json;

namespace Cairn.Cli.Tests;

/// <summary><c>cairn forget SNAPSHOT...</c>: removes what it names and nothing else, and nothing at all when a name is wrong.</summary>
public sealed class ForgetTests : IDisposable
{
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    private async Task<List<string>> SnapshotIdsAsync()
    {
        var run = await _t.RunAsync("--json", "snapshots");
        Assert.True(run.ExitCode == 0, run.ToString());
        return [.. JsonDocument.Parse(run.Output).RootElement.EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];
    }

    private async Task<List<string>> ThreeSnapshotsAsync()
    {
        await _t.InitAsync();
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        for (var i = 0; i < 3; i++)
        {
            File.WriteAllText(Path.Combine(source, $"f{i}"), $"version {i}");
            Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);
        }
        return await SnapshotIdsAsync();
    }

    [Fact]
    public async Task Forget_removes_the_named_snapshots_only()
    {
        var ids = await ThreeSnapshotsAsync();

        var run = await _t.RunAsync("forget", ids[0][..8], ids[2]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"removed snapshot {ids[0][..8]}", run.Output, StringComparison.Ordinal);
        Assert.Equal([ids[1]], await SnapshotIdsAsync());
    }

    [Fact]
    public async Task Dry_run_and_an_unknown_name_remove_nothing()
    {
        var ids = await ThreeSnapshotsAsync();

        var dry = await _t.RunAsync("forget", "--dry-run", ids[1]);
        var typo = await _t.RunAsync("forget", ids[0], "ffffffffff");

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains($"would remove snapshot {ids[1][..8]}", dry.Output, StringComparison.Ordinal);
        Assert.True(typo.ExitCode == 2, typo.ToString());
        Assert.Contains("no snapshot with ID ffffffffff", typo.Error, StringComparison.Ordinal);
        Assert.Equal(ids, await SnapshotIdsAsync());
    }
}
