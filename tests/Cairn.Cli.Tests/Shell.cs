using System.Diagnostics;

namespace Cairn.Cli.Tests;

/// <summary>Runs system tools the tests need (mount, chown, kill) and waits for a running backup to reach a point.</summary>
public static class Shell
{
    /// <summary>Runs a program to completion and returns its exit code.</summary>
    public static async Task<int> RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(file, args);
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    /// <summary>
    /// Waits until the repository holds <paramref name="packs"/> packs or the process ended; true when the process still
    /// runs. The watch runs on a thread of its own: on the thread pool, tests running alongside could hold it up
    /// for seconds while a fast backup finishes.
    /// </summary>
    public static Task<bool> WaitForPacksAsync(Process process, string repo, int packs) => Task.Factory.StartNew(() =>
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (RepositoryFiles.Packs(repo).Count < packs && !process.HasExited && DateTime.UtcNow < deadline)
            Thread.Sleep(2);
        return !process.HasExited;
    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
