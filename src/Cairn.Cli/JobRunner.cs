using System.Globalization;
using System.Text.Json;
using Cairn.Commands;
using Cairn.Commands.Jobs;

namespace Cairn.Cli;

/// <summary>
/// Runs a planned job: each cairn step as that very command line (in this process), each hook through
/// <see cref="HookRunner"/> with the job's environment (docs/PLUGINS.md). A before hook, the backup or a later step
/// that fails ends the main steps; then the on-failure hooks run, else the after hooks.
/// </summary>
internal static class JobRunner
{
    public static async Task<JobRecord> RunAsync(JobPlan plan, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CAIRN_JOB"] = plan.Job.Name,
            ["CAIRN_REPOSITORY"] = plan.Repository.Url,
            ["CAIRN_REPOSITORY_NAME"] = plan.Repository.Name,
            ["CAIRN_STATUS"] = "running",
            ["CAIRN_SNAPSHOT"] = "",
        };
        var status = "ok";
        var exitCode = ExitCodes.Ok;
        string? snapshot = null, message = null;

        void Fail(int code, string why)
        {
            status = "failed";
            exitCode = code;
            message = why;
        }

        foreach (var step in plan.Main)
        {
            ct.ThrowIfCancellationRequested();
            if (step.IsHook)
            {
                var code = await RunHookAsync(step, environment, output, error, ct).ConfigureAwait(false);
                if (code != 0)
                {
                    Fail(ExitCodes.Failed, $"before hook '{step.Hook}' exited with code {code}: no backup was made");
                    break;
                }
                continue;
            }
            if (step.Kind == JobStepKind.Backup)
            {
                using var captured = new StringWriter();
                var code = await CliApp.RunAsync([.. step.Argv(), "--json"], captured, error).ConfigureAwait(false);
                if (code is ExitCodes.Ok or ExitCodes.Incomplete && TryReadBackup(captured.ToString(), environment) is { } id)
                {
                    snapshot = id;
                    output.WriteLine($"job {plan.Job.Name}: snapshot {id[..8]} saved ({environment["CAIRN_FILES_NEW"]} new, {environment["CAIRN_FILES_CHANGED"]} changed, "
                        + $"{Humanize.Bytes(long.Parse(environment["CAIRN_BYTES_ADDED"], CultureInfo.InvariantCulture))} added)");
                    if (code == ExitCodes.Incomplete)
                    {
                        status = "warning";
                        exitCode = ExitCodes.Incomplete;
                        message = "some entries could not be read in full (see the warnings)";
                    }
                    continue;
                }
                Fail(code == ExitCodes.Ok ? ExitCodes.Failed : code, $"backup failed with exit code {code}");
                break;
            }
            var stepCode = await CliApp.RunAsync(step.Argv(), output, error).ConfigureAwait(false);
            if (stepCode != ExitCodes.Ok)
            {
                Fail(stepCode, $"{step.Kind.ToString().ToLowerInvariant()} failed with exit code {stepCode}");
                break;
            }
        }

        if (status != "failed")
        {
            environment["CAIRN_STATUS"] = status;
            environment["CAIRN_EXIT_CODE"] = exitCode.ToString(CultureInfo.InvariantCulture);
            foreach (var hook in plan.After)
            {
                var code = await RunHookAsync(hook, environment, output, error, ct).ConfigureAwait(false);
                if (code != 0)
                {
                    Fail(ExitCodes.Failed, $"after hook '{hook.Hook}' exited with code {code}");
                    break;
                }
            }
        }
        if (status == "failed")
        {
            environment["CAIRN_STATUS"] = status;
            environment["CAIRN_EXIT_CODE"] = exitCode.ToString(CultureInfo.InvariantCulture);
            environment["CAIRN_ERROR"] = message ?? "";
            foreach (var hook in plan.OnFailure)
            {
                var code = await RunHookAsync(hook, environment, output, error, ct).ConfigureAwait(false);
                if (code != 0)
                    error.WriteLine($"cairn: on-failure hook '{hook.Hook}' exited with code {code}");
            }
        }
        return new JobRecord(plan.Job.Name, started, DateTimeOffset.UtcNow, status, exitCode, snapshot, message);
    }

    private static Task<int> RunHookAsync(JobStep hook, Dictionary<string, string> environment, TextWriter output, TextWriter error, CancellationToken ct)
    {
        environment["CAIRN_HOOK"] = hook.Kind switch
        {
            JobStepKind.Before => "before",
            JobStepKind.After => "after",
            _ => "on-failure",
        };
        return HookRunner.RunAsync(hook.Hook!, environment, output, error, ct);
    }

    /// <summary>Reads backup's --json result into the hook environment; returns the snapshot ID.</summary>
    private static string? TryReadBackup(string json, Dictionary<string, string> environment)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var summary = root.GetProperty("summary");
            environment["CAIRN_FILES_NEW"] = summary.GetProperty("files_new").GetInt64().ToString(CultureInfo.InvariantCulture);
            environment["CAIRN_FILES_CHANGED"] = summary.GetProperty("files_changed").GetInt64().ToString(CultureInfo.InvariantCulture);
            environment["CAIRN_FILES_UNMODIFIED"] = summary.GetProperty("files_unmodified").GetInt64().ToString(CultureInfo.InvariantCulture);
            environment["CAIRN_BYTES_ADDED"] = summary.GetProperty("data_added").GetInt64().ToString(CultureInfo.InvariantCulture);
            var id = root.GetProperty("snapshot_id").GetString();
            environment["CAIRN_SNAPSHOT"] = id ?? "";
            return id;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
