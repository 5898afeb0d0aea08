using System.Diagnostics;

namespace Cairn.Commands.Jobs;

/// <summary>
/// Runs a hook: <c>/bin/sh -c COMMAND</c> with the job's environment variables (docs/PLUGINS.md), its output
/// passed through to the given writers.
/// </summary>
public static class HookRunner
{
    /// <summary>Runs <paramref name="command"/>; returns its exit code.</summary>
    public static async Task<int> RunAsync(string command, IReadOnlyDictionary<string, string> environment, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var psi = ShellCommand.StartInfo(command);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        foreach (var (key, value) in environment)
            psi.Environment[key] = value;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start /bin/sh for '{command}'");
        var copyOut = PumpAsync(process.StandardOutput, output);
        var copyError = PumpAsync(process.StandardError, error);
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        await Task.WhenAll(copyOut, copyError).ConfigureAwait(false);
        return process.ExitCode;
    }

    private static async Task PumpAsync(StreamReader from, TextWriter to)
    {
        while (await from.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (to)
                to.WriteLine(line);
        }
    }
}
