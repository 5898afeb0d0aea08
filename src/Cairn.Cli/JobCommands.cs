using System.CommandLine;
using System.Globalization;
using Cairn.Commands;
using Cairn.Commands.Jobs;

namespace Cairn.Cli;

/// <summary><c>cairn run JOB</c> and <c>cairn jobs</c>: the jobs of the configuration file.</summary>
internal static class JobCommands
{
    public static Command Run(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("run",
            "Run a job of the configuration file: its before hooks, the backup, forget by its retention, prune and check if it says so, "
            + "then its after hooks (or on-failure hooks). Each step is a cairn command you could type; --dry-run prints them.",
            "cairn run home --dry-run");
        var job = new Argument<string>("JOB") { Description = "the job's name ([job.NAME] in cairn.toml)" };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "print every command the job would run, run none" };
        command.Arguments.Add(job);
        command.Options.Add(dryRun);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var plan = JobPlan.For(ctx.Configuration, ctx.Result.GetValue(job)!);
            if (ctx.Result.GetValue(dryRun))
            {
                foreach (var step in plan.Main)
                    ctx.Out.WriteLine(step.Render());
                foreach (var step in plan.After)
                    ctx.Out.WriteLine(step.Render() + "   # after success");
                foreach (var step in plan.OnFailure)
                    ctx.Out.WriteLine(step.Render() + "   # on failure");
                return ExitCodes.Ok;
            }
            var record = await JobRunner.RunAsync(plan, ctx.Json ? ctx.Error : ctx.Out, ctx.Error, ct).ConfigureAwait(false);
            await StateFile(ctx).SaveAsync(record).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(record);
            else if (!ctx.Quiet)
                ctx.Out.WriteLine($"job {record.Job}: {record.Status} after {Humanize.Duration(record.Duration)}{(record.Message is null ? "" : ": " + record.Message)}");
            if (record.Status == "failed")
                ctx.Error.WriteLine($"cairn: job {record.Job} failed: {record.Message}");
            return record.ExitCode;
        }));
        return command;
    }

    public static Command List(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("jobs",
            "List the jobs of the configuration file with their repository, schedule and last run (when, result, snapshot, duration).",
            "cairn jobs");
        command.SetAction(CliApp.Guard(context, (ctx, ct) =>
        {
            var configuration = ctx.Configuration;
            var records = StateFile(ctx).Load();
            var rows = configuration.Jobs.Select(j => new JobListing(j.Name, j.Repository, j.Schedule?.Text, records.GetValueOrDefault(j.Name), j.Paths,
                j.Keep.GroupBy(k => k.Option.TrimStart('-')).ToDictionary(g => g.Key, g => g.Last().Value), j.Excludes, j.Before, j.After, j.OnFailure)).ToList();
            if (ctx.Json)
            {
                ctx.WriteJson(rows);
                return Task.FromResult(ExitCodes.Ok);
            }
            if (rows.Count == 0)
            {
                ctx.Out.WriteLine(configuration.File is null ? "no configuration file, so no jobs (see docs/CONFIGURATION.md)" : $"{configuration.File} defines no jobs");
                return Task.FromResult(ExitCodes.Ok);
            }
            ctx.Out.WriteLine($"{"job",-16} {"repository",-14} {"schedule",-16} {"last run",-20} {"result",-8} {"snapshot",-9} duration");
            foreach (var row in rows)
            {
                var last = row.LastRun;
                ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{row.Job,-16} {row.Repository,-14} {row.Schedule ?? "-",-16} {(last is null ? "never" : last.Started.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),-20} "
                    + $"{last?.Status ?? "-",-8} {(last?.Snapshot is { } s ? s[..8] : "-"),-9} {(last is null ? "-" : Humanize.Duration(last.Duration))}"));
            }
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    public static Command Daemon(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("daemon",
            "Run every job of the configuration file on its schedule, one job per repository at a time, logging each run to standard output. "
            + "SIGHUP reloads the configuration, SIGTERM stops it cleanly. --print-systemd prints unit and timer files instead.",
            "cairn --config /etc/cairn/cairn.toml daemon");
        var printSystemd = new Option<bool>("--print-systemd") { Description = "print a service unit for the daemon, and a service and timer per scheduled job" };
        command.Options.Add(printSystemd);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            if (ctx.Result.GetValue(printSystemd))
            {
                ctx.Out.Write(SystemdUnits.Render(ctx.Configuration, Environment.ProcessPath is { } p && !p.EndsWith("dotnet", StringComparison.Ordinal) ? p : "/usr/local/bin/cairn"));
                return ExitCodes.Ok;
            }
            var configFile = ctx.Global.ConfigFile;
            _ = ctx.Configuration; // a broken file stops the daemon before it starts
            await new JobDaemon(() => Commands.Configuration.ConfigurationFile.Load(configFile), ctx.Out).RunAsync(ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    internal static JobStateFile StateFile(CliContext ctx) => new(ctx.Configuration.JobStateFile ?? JobStateFile.DefaultPath());
}
