using System.Text.RegularExpressions;

namespace Cairn.Cli.Tests;

/// <summary>--verify-dedup, conflicting locks and interruption.</summary>
public sealed class DedupAndSignalTests : IDisposable
{
    private readonly TestRepository _t = new();

    [Fact]
    public async Task VerifyDedupRefusesToDeduplicateAgainstDamagedDataThatPlainDedupTrusts()
    {
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        var data = new byte[3_000_000];
        new Random(11).NextBytes(data);
        File.WriteAllBytes(Path.Combine(source, "data.bin"), data);
        await _t.InitAsync();
        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);
        Assert.Equal(0, (await _t.RunAsync("backup", "--force", "--verify-dedup", source)).ExitCode);

        var dataPack = RepositoryFiles.Packs(_t.Repo).OrderByDescending(p => new FileInfo(p).Length).First();
        RepositoryFiles.FlipBit(dataPack, 1000);
        var trusting = await _t.RunAsync("backup", "--force", source);
        Assert.True(trusting.ExitCode == 0, trusting.ToString());
        var verifying = await _t.RunAsync("backup", "--force", "--verify-dedup", source);
        Assert.True(verifying.ExitCode == 4, verifying.ToString());
        Assert.Contains(RepositoryFiles.RelativeName(_t.Repo, dataPack), verifying.Error, StringComparison.Ordinal);
        Assert.Equal(2 + 1, Directory.GetFiles(Path.Combine(_t.Repo, "snapshots")).Length);
    }

    [Fact]
    public async Task AnExclusiveLockMakesBackupExit11AndNamesItsHolder()
    {
        await _t.InitAsync();
        var storage = new Cairn.Storage.LocalStorage(_t.Repo);
        var password = System.Text.Encoding.UTF8.GetBytes(File.ReadAllText(_t.PasswordFile).TrimEnd('\n'));
        await using var repository = await Cairn.Core.Repository.Repository.OpenAsync(storage, password);
        await using (var held = await repository.LockAsync(exclusive: true, "prune"))
        {
            var run = await _t.RunAsync("backup", _t.PasswordFile);
            Assert.True(run.ExitCode == 11, run.ToString());
            Assert.Contains("locked exclusively by prune", run.Error, StringComparison.Ordinal);
            Assert.Contains($"PID {Environment.ProcessId}", run.Error, StringComparison.Ordinal);
        }
        Assert.Equal(0, (await _t.RunAsync("backup", _t.PasswordFile)).ExitCode);
    }

    [Fact]
    public async Task InterruptedBackupExits130ReleasesItsLockAndLeavesACheckableRepository()
    {
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        var data = new byte[4_000_000];
        var random = new Random(12);
        for (var i = 0; i < 120; i++)
        {
            random.NextBytes(data);
            File.WriteAllBytes(Path.Combine(source, $"f{i:000}.bin"), data);
        }
        await _t.InitAsync();
        using var process = _t.Start(["backup", "--compression", "off", source]);
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(await Shell.WaitForPacksAsync(process, _t.Repo, 2), "the backup finished before it could be interrupted");
        Assert.Equal(0, await Shell.RunAsync("kill", "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 130, await stderr);
        Assert.Empty(Directory.GetFiles(Path.Combine(_t.Repo, "locks")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_t.Repo, "snapshots")));
        Assert.Equal(0, (await _t.RunAsync("check", "--read-data")).ExitCode);
        var again = await _t.RunAsync("backup", "--json", source);
        Assert.Equal(0, again.ExitCode);
        Assert.Matches(new Regex("\"recovered_packs\":[1-9]"), again.Output);
    }

    public void Dispose() => _t.Dispose();
}
