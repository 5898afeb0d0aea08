using System.Diagnostics;
using System.Text.Json;

namespace Cairn.Cli.Tests;

/// <summary>
/// prune killed at many points in turn, and prune running while a backup deduplicates against the data it removes:
/// after each, the repository checks clean and every snapshot restores.
/// </summary>
public sealed class PruneCrashTests : IDisposable
{
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    private static void Rewrite(string source, Random random, int files)
    {
        var data = new byte[1 << 20];
        for (var i = 0; i < files; i++)
        {
            random.NextBytes(data);
            File.WriteAllBytes(Path.Combine(source, $"file{random.Next(12)}"), data);
        }
    }

    private async Task EverySnapshotRestoresAsync()
    {
        var snapshots = JsonDocument.Parse((await _t.RunOkAsync("--json", "snapshots")).Output).RootElement.EnumerateArray()
            .Select(s => s.GetProperty("id").GetString()!).ToList();
        foreach (var id in snapshots)
        {
            var target = _t.PathOf("restored");
            await _t.RunOkAsync("restore", id, "--target", target, "--verify");
            Directory.Delete(target, recursive: true);
        }
    }

    /// <summary>The names of the repository's packs, index files and deletion notes.</summary>
    private string Contents() => string.Join("\n", new[] { "data", "index", "pending" }
        .Where(d => Directory.Exists(Path.Combine(_t.Repo, d)))
        .SelectMany(d => Directory.EnumerateFiles(Path.Combine(_t.Repo, d), "*", SearchOption.AllDirectories)).Order());

    [Fact]
    public async Task Prune_killed_at_any_point_leaves_a_repository_whose_snapshots_all_restore()
    {
        await _t.InitAsync();
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        var random = new Random(21);
        Rewrite(source, random, 12);
        await _t.RunOkAsync("backup", source);

        // How long a whole prune takes, to spread the kills over it.
        Rewrite(source, random, 4);
        await _t.RunOkAsync("backup", source);
        await _t.RunOkAsync("forget", "--keep-last", "1");
        // Throttled, so that the steps that change the repository take long enough to be killed in.
        string[] prune = ["--limit-upload", "4000", "--limit-download", "8000", "prune", "--max-unused", "0"];
        var clock = Stopwatch.StartNew();
        var whole = await _t.RunProcessAsync(prune);
        Assert.True(whole.ExitCode == 0, whole.ToString());
        var duration = clock.Elapsed;

        var killedMidway = 0;
        const int Rounds = 14;
        for (var round = 0; round < Rounds; round++)
        {
            Rewrite(source, random, 4);
            await _t.RunOkAsync("backup", source);
            await _t.RunOkAsync("forget", "--keep-last", "2");
            var before = Contents();
            using (var process = _t.Start(prune))
            {
                // Killed a little later in each round, counted from its first change to the repository.
                while (!process.HasExited && Contents() == before)
                    await Task.Delay(1);
                await Task.Delay(duration * round / Rounds / 4);
                var killed = !process.HasExited;
                if (killed)
                    process.Kill();
                await process.WaitForExitAsync();
                if (killed && Contents() != before)
                    killedMidway++;
            }
            await _t.RunOkAsync("unlock"); // the killed prune's lock, which forget's exclusive lock does not pass
            var check = await _t.RunAsync("check", "--read-data");
            Assert.True(check.ExitCode == 0, $"round {round}: {check}");
            await EverySnapshotRestoresAsync();
        }
        Assert.True(killedMidway >= 3, $"only {killedMidway} of {Rounds} prunes were killed after changing the repository and before finishing");

        // The next prune finishes whatever the killed ones left.
        await _t.RunOkAsync("prune", "--max-unused", "0");
        // Only notes count: a write the kill cut short may leave a temporary file, which a later backup removes.
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(_t.Repo, "pending")), f => !Path.GetFileName(f).StartsWith('.'));
        var final = await _t.RunOkAsync("check", "--read-data");
        Assert.DoesNotContain("unused:", final.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("orphaned", final.Output, StringComparison.Ordinal);
        await EverySnapshotRestoresAsync();
        var target = _t.PathOf("latest");
        await _t.RunOkAsync("restore", $"latest:{source}", "--target", target);
        TreeAssert.Same(source, target, compareOwners: false);
    }

    [Fact]
    public async Task A_backup_running_while_prune_removes_the_data_it_deduplicates_against_stays_complete()
    {
        await _t.InitAsync();
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        var random = new Random(22);
        Rewrite(source, random, 12);
        await _t.RunOkAsync("backup", _t.PasswordFile);
        foreach (var offset in new[] { 0, 150, 300, 600 })
        {
            // The snapshot of the source is forgotten, so that all its data is unused, and backed up again while
            // a prune removes that data: the backup finds every chunk in the index it loaded.
            await _t.RunOkAsync("backup", source);
            await _t.RunOkAsync("forget", "latest");
            using var backup = _t.Start(["backup", source]);
            await Task.Delay(offset);
            using var prune = _t.Start(["prune", "--max-unused", "0"]);
            var errors = await Task.WhenAll(backup.StandardError.ReadToEndAsync(), prune.StandardError.ReadToEndAsync());
            await Task.WhenAll(backup.WaitForExitAsync(), prune.WaitForExitAsync());
            Assert.True(backup.ExitCode == 0, $"offset {offset}: backup: {errors[0]}");
            Assert.True(prune.ExitCode == 0, $"offset {offset}: prune: {errors[1]}");

            var check = await _t.RunAsync("check", "--read-data");
            Assert.True(check.ExitCode == 0, $"offset {offset}: {check}");
            var target = _t.PathOf("restored");
            await _t.RunOkAsync("restore", $"latest:{source}", "--target", target, "--verify");
            TreeAssert.Same(source, target, compareOwners: false);
            Directory.Delete(target, recursive: true);
            await _t.RunOkAsync("forget", "latest");
            Rewrite(source, random, 3);
        }
        await _t.RunOkAsync("prune", "--max-unused", "0");
        await _t.RunOkAsync("check", "--read-data");
        await EverySnapshotRestoresAsync();
    }
}
