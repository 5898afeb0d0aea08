using System.Diagnostics;
using System.Globalization;

namespace Cairn.Tests.Shared;

/// <summary>Runs one of scripts/services/start-*.sh for a port and state directory, one run at a time per server.</summary>
public sealed class ServiceScript(string script, int port, string directory)
{
    private readonly SemaphoreSlim _running = new(1);

    /// <summary>Runs the script; it starts the service unless it runs already. Callers at once take turns.</summary>
    public async Task RunAsync()
    {
        await _running.WaitAsync();
        try
        {
            var path = Path.Combine(RepositoryRoot.Path, "scripts", "services", script);
            var start = new ProcessStartInfo("bash", [path, port.ToString(CultureInfo.InvariantCulture), directory])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{script} failed: {await output}{await error}");
        }
        finally
        {
            _running.Release();
        }
    }
}
