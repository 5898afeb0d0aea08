using System.Text.Json;

namespace Cairn.Cli.Tests;

/// <summary>What check reports beyond damage: unused and orphaned data, and reading the packs in slices.</summary>
public sealed class CheckReportTests : IDisposable
{
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    private async Task<JsonElement> CheckJsonAsync(params string[] options)
    {
        var run = await _t.RunAsync(["--json", "check", .. options]);
        Assert.True(run.ExitCode is 0 or 4, run.ToString());
        return JsonDocument.Parse(run.Output).RootElement.Clone();
    }

    private async Task BackUpTwoVersionsAsync()
    {
        await _t.InitAsync();
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        var random = new Random(9);
        for (var version = 0; version < 2; version++)
        {
            for (var i = 0; i < 4; i++)
            {
                var data = new byte[600_000];
                random.NextBytes(data);
                File.WriteAllBytes(Path.Combine(source, $"f{i}"), data);
            }
            Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);
        }
    }

    [Fact]
    public async Task Data_left_behind_by_forget_is_reported_as_unused_without_being_an_error()
    {
        await BackUpTwoVersionsAsync();
        Assert.Equal(0, (await CheckJsonAsync()).GetProperty("unused_blobs").GetInt64());

        Assert.Equal(0, (await _t.RunAsync("forget", "--keep-last", "1")).ExitCode);
        var json = await CheckJsonAsync();
        var text = await _t.RunAsync("check");

        Assert.True(json.GetProperty("is_healthy").GetBoolean());
        Assert.True(json.GetProperty("unused_blobs").GetInt64() >= 4, json.ToString());
        Assert.True(json.GetProperty("unused_bytes").GetInt64() >= 4 * 600_000, json.ToString());
        Assert.Contains("that no snapshot refers to", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Packs_in_no_index_are_counted_as_orphaned()
    {
        await BackUpTwoVersionsAsync();
        foreach (var index in Directory.GetFiles(Path.Combine(_t.Repo, "index")))
            File.Delete(index);

        var json = await CheckJsonAsync();

        Assert.Equal(RepositoryFiles.Packs(_t.Repo).Count, json.GetProperty("orphaned_packs").GetInt32());
        Assert.Equal(RepositoryFiles.Packs(_t.Repo).Sum(p => new FileInfo(p).Length), json.GetProperty("orphaned_bytes").GetInt64());
    }

    [Fact]
    public async Task Slices_of_the_packs_read_every_pack_once_over_their_runs()
    {
        await BackUpTwoVersionsAsync();
        var packs = (await CheckJsonAsync()).GetProperty("packs").GetInt32();

        var read = 0;
        for (var part = 1; part <= 3; part++)
            read += (await CheckJsonAsync("--read-data-subset", $"{part}/3")).GetProperty("packs_read").GetInt32();
        var invalid = await _t.RunAsync("check", "--read-data-subset", "4/3");

        Assert.Equal(packs, read);
        Assert.Equal(2, invalid.ExitCode);
    }
}
