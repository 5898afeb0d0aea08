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

    /// <summary>Waits until the repository holds <paramref name="packs"/> packs or the process ended; true when the process still runs.</summary>
    public static async Task<bool> WaitForPacksAsync(Process process, string repo, int packs)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (RepositoryFiles.Packs(repo).Count < packs && !process.HasExited && DateTime.UtcNow < deadline)
            await Task.Delay(5);
        return !process.HasExited;
    }
}
