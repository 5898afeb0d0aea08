using System.Text.RegularExpressions;

namespace Cairn.Cli.Tests;

/// <summary>kill -9 in the middle of a backup, and two backups at once.</summary>
public sealed class CrashAndConcurrencyTests : IDisposable
{
    private readonly TestRepository _t = new();

    private string CreateSource(string name, int files, int size, int seed)
    {
        var source = _t.PathOf(name);
        Directory.CreateDirectory(source);
        var random = new Random(seed);
        var data = new byte[size];
        for (var i = 0; i < files; i++)
        {
            random.NextBytes(data);
            File.WriteAllBytes(Path.Combine(source, $"file{i:000}.bin"), data);
        }
        return source;
    }

    [Fact]
    public async Task BackupKilledMidwayLeavesACheckableRepositoryAndTheNextBackupReusesItsPacks()
    {
        var source = CreateSource("source", 120, 4_000_000, 1);
        await _t.InitAsync();
        using (var process = _t.Start(["backup", "--compression", "off", source]))
        {
            // Wait until some packs are on disk, then kill without warning.
            if (!await Shell.WaitForPacksAsync(process, _t.Repo, 3))
                Assert.Fail($"the backup ended (exit code {process.ExitCode}) before it could be killed: {process.StandardError.ReadToEnd()}");
            process.Kill();
            await process.WaitForExitAsync();
        }
        var packsLeft = RepositoryFiles.Packs(_t.Repo).Count;
        Assert.True(packsLeft >= 3);
        Assert.Empty(Directory.GetFiles(Path.Combine(_t.Repo, "snapshots")));

        var check = await _t.RunAsync("check", "--read-data");
        Assert.True(check.ExitCode == 0, check.ToString());

        var backup = await _t.RunAsync("backup", "--json", "--compression", "off", source);
        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.Contains("stale lock", backup.Error, StringComparison.Ordinal);
        var recovered = int.Parse(Regex.Match(backup.Output, "\"recovered_packs\":(\\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(recovered >= 3, backup.Output);
        var added = long.Parse(Regex.Match(backup.Output, "\"data_added\":(\\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(added < 120L * 4_000_000 - 2 * 16_000_000, $"the second run stored {added} bytes again");

        Assert.Equal(0, (await _t.RunAsync("check", "--read-data")).ExitCode);
        var target = _t.PathOf("restored");
        Assert.Equal(0, (await _t.RunAsync("restore", $"latest:{source}", "--target", target, "--verify")).ExitCode);
        TreeAssert.Same(source, target, compareOwners: false);

        var unlock = await _t.RunAsync("unlock");
        Assert.Contains("removed 1 locks", unlock.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoBackupsIntoOneRepositoryAtTheSameTimeBothSucceed()
    {
        var a = CreateSource("a", 15, 2_000_000, 2);
        var b = CreateSource("b", 15, 2_000_000, 3);
        await _t.InitAsync();
        using var first = _t.Start(["backup", a]);
        using var second = _t.Start(["backup", b]);
        var outputs = await Task.WhenAll(first.StandardError.ReadToEndAsync(), second.StandardError.ReadToEndAsync());
        await Task.WhenAll(first.WaitForExitAsync(), second.WaitForExitAsync());
        Assert.True(first.ExitCode == 0, outputs[0]);
        Assert.True(second.ExitCode == 0, outputs[1]);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_t.Repo, "snapshots")).Length);
        Assert.Equal(0, (await _t.RunAsync("check", "--read-data")).ExitCode);
        foreach (var (source, name) in new[] { (a, "ra"), (b, "rb") })
        {
            var target = _t.PathOf(name);
            var snapshot = (await _t.RunAsync("snapshots", "--json")).Output;
            var id = Regex.Matches(snapshot, "\"id\":\"([0-9a-f]+)\",\"short_id\":\"[0-9a-f]+\",\"time\":\"[^\"]+\",\"host\":\"[^\"]+\",\"tags\":\\[\\],\"paths\":\\[\"([^\"]+)\"")
                .First(m => m.Groups[2].Value == source).Groups[1].Value;
            Assert.Equal(0, (await _t.RunAsync("restore", $"{id}:{source}", "--target", target)).ExitCode);
            TreeAssert.Same(source, target, compareOwners: false);
        }
    }

    public void Dispose() => _t.Dispose();
}
