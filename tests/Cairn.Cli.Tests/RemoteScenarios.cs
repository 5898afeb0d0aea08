namespace Cairn.Cli.Tests;

/// <summary>What every remote store must survive, run the same way against each (SFTP, S3, cairn serve).</summary>
public static class RemoteScenarios
{
    /// <summary>Backs up a tree with every kind of entry, restores it with --verify, compares it and checks all data.</summary>
    public static async Task RoundTripAsync(TestRepository t)
    {
        var source = t.PathOf("source");
        RichTree.Create(source, withHugeFile: false);
        var backup = await t.RunAsync("backup", source);
        Assert.True(backup.ExitCode == 0, backup.ToString());
        var target = t.PathOf("restored");
        var restore = await t.RunAsync("restore", $"latest:{source}", "--target", target, "--verify");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.True(TreeAssert.Same(source, target, compareOwners: RichTree.IsRoot) > 40);
        await CheckAllDataAsync(t);
    }

    /// <summary>
    /// Starts a backup of 96 MiB of incompressible data, stops the server once <paramref name="packsStored"/> shows two
    /// packs arrived, starts it again 1.5 s later, and requires the backup to finish through its retries.
    /// </summary>
    public static async Task BackupThroughAnOutageAsync(TestRepository t, Func<int> packsStored, Func<Task> stop, Func<Task> start)
    {
        var source = IncompressibleSource(t, 96);
        var backup = await StartBackupAndWaitForPacksAsync(t, source, packsStored);
        await stop();
        await Task.Delay(1500);
        await start();
        var run = await backup;

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("trying again in", run.Error, StringComparison.Ordinal);
        await CheckAllDataAsync(t);
    }

    /// <summary>
    /// Starts a backup of <paramref name="source"/> and returns it, still running, once two packs arrived. Uploads are
    /// paced at 16 MiB/s, so that the rest of the backup takes seconds: unpaced, it could finish before the caller
    /// stops the server.
    /// </summary>
    public static async Task<Task<CairnRun>> StartBackupAndWaitForPacksAsync(TestRepository t, string source, Func<int> packsStored)
    {
        var backup = t.RunAsync("backup", "--limit-upload", "16384", source);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!backup.IsCompleted && packsStored() < 2 && DateTime.UtcNow < deadline)
            await Task.Delay(5);
        Assert.False(backup.IsCompleted, "the backup ended before the server could be stopped: " + (backup.IsCompleted ? backup.Result.ToString() : ""));
        return backup;
    }

    /// <summary>A directory of <paramref name="mebibytes"/> MiB of random data in 8 MiB files.</summary>
    public static string IncompressibleSource(TestRepository t, int mebibytes)
    {
        var source = t.PathOf("source");
        Directory.CreateDirectory(source);
        var random = new Random(11);
        var data = new byte[8 << 20];
        for (var file = 0; file < mebibytes / 8; file++)
        {
            random.NextBytes(data);
            File.WriteAllBytes(Path.Combine(source, $"blob{file}"), data);
        }
        return source;
    }

    /// <summary>Packs stored in a repository directory, 0 while it has none.</summary>
    public static int PacksIn(string repository) =>
        Directory.Exists(Path.Combine(repository, "data")) ? RepositoryFiles.Packs(repository).Count : 0;

    /// <summary>Requires <c>snapshots</c> to fail with exit code 14 and one line holding <paramref name="expected"/>.</summary>
    public static async Task RefusedInOneLineAsync(TestRepository t, string expected)
    {
        var run = await t.RunAsync("snapshots");
        Assert.True(run.ExitCode == 14, run.ToString());
        var lines = run.Error.Trim().Split('\n');
        Assert.True(lines.Length == 1, run.ToString());
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
    }

    private static async Task CheckAllDataAsync(TestRepository t)
    {
        var check = await t.RunAsync("check", "--read-data");
        Assert.True(check.ExitCode == 0, check.ToString());
    }
}
