using System.CommandLine;
using Cairn.Commands;
using Cairn.Commands.Configuration;
using Cairn.Core;

namespace Cairn.Cli;

/// <summary><c>cairn job set|remove</c>: edit the configuration file's jobs (the GUI's job editor runs these).</summary>
internal static class JobEditCommand
{
    private static readonly string[] KeepCounts = ["keep-last", "keep-hourly", "keep-daily", "keep-weekly", "keep-monthly", "keep-yearly"];

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = new Command("job", "Create, change or remove a job of the configuration file; keys not given stay as they are, comments included.");
        command.Subcommands.Add(Set(context));
        command.Subcommands.Add(Remove(context));
        return command;
    }

    private static Command Set(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("set", "Create a job, or change the keys given of an existing one ([job.NAME] in cairn.toml); the file is checked before it is written.",
            "cairn job set home --repository nas --path /home --path /etc --schedule '30 2 * * *' --keep-daily 7");
        var name = new Argument<string>("NAME") { Description = "the job's name" };
        var repository = new Option<string?>("--repository") { Description = "the [repository.NAME] to back up into" };
        var paths = new Option<string[]>("--path") { Description = "a path to back up (repeatable; replaces the job's paths)" };
        var excludes = new Option<string[]>("--exclude") { Description = "an exclude pattern (repeatable; replaces the job's)" };
        var tags = new Option<string[]>("--tag") { Description = "a tag (repeatable; replaces the job's)" };
        var host = new Option<string?>("--host") { Description = "host name to record" };
        var schedule = new Option<string?>("--schedule") { Description = "cron expression for 'cairn daemon', e.g. '30 2 * * *'" };
        var check = new Option<string?>("--check-read-data-subset") { Description = "check after the backup, reading this share of the data, e.g. 5%" };
        var before = new Option<string[]>("--before") { Description = "a before hook (repeatable; replaces the job's)" };
        var after = new Option<string[]>("--after") { Description = "an after hook (repeatable; replaces the job's)" };
        var onFailure = new Option<string[]>("--on-failure") { Description = "an on-failure hook (repeatable; replaces the job's)" };
        var prune = new Option<bool>("--prune") { Description = "prune after forgetting" };
        var noPrune = new Option<bool>("--no-prune") { Description = "do not prune after forgetting" };
        var keeps = KeepCounts.Select(k => new Option<int?>("--" + k) { Description = $"{k.Replace('-', ' ')}: forget's rule after each backup" }).ToList();
        command.Arguments.Add(name);
        foreach (var o in new Option[] { repository, paths, excludes, tags, host, schedule, check, before, after, onFailure, prune, noPrune }.Concat(keeps))
            command.Options.Add(o);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var r = ctx.Result;
            var settings = new List<(string, object)>();
            void Text(Option<string?> option, string key)
            {
                if (r.GetValue(option) is { } value)
                    settings.Add((key, value));
            }
            void List(Option<string[]> option, string key)
            {
                if (r.GetValue(option) is { Length: > 0 } values)
                    settings.Add((key, (IReadOnlyList<string>)values));
            }
            Text(repository, "repository");
            List(paths, "paths");
            List(excludes, "exclude");
            List(tags, "tags");
            Text(host, "host");
            Text(schedule, "schedule");
            Text(check, "check-read-data-subset");
            List(before, "before");
            List(after, "after");
            List(onFailure, "on-failure");
            if (r.GetValue(prune) || r.GetValue(noPrune))
                settings.Add(("prune", r.GetValue(prune)));
            for (var i = 0; i < keeps.Count; i++)
            {
                if (r.GetValue(keeps[i]) is { } count)
                    settings.Add((KeepCounts[i], (long)count));
            }
            var path = FileToEdit(ctx);
            var text = File.Exists(path) ? await File.ReadAllTextAsync(path, ct).ConfigureAwait(false) : "";
            await AtomicFile.WriteAllTextAsync(path, JobEditor.Set(text, path, r.GetValue(name)!, settings), ct).ConfigureAwait(false);
            if (!ctx.Quiet && !ctx.Json)
                ctx.Out.WriteLine($"job {r.GetValue(name)} saved in {path}");
            else if (ctx.Json)
                ctx.WriteJson(new Json.JobFileReport(r.GetValue(name), path));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Remove(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("remove", "Remove a job, and its command sources, from the configuration file.", "cairn job remove home");
        var name = new Argument<string>("NAME") { Description = "the job's name" };
        command.Arguments.Add(name);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var path = ctx.Configuration.File ?? throw new CairnException(ErrorKind.InvalidInput, "there is no configuration file, so no job to remove");
            var text = await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
            await AtomicFile.WriteAllTextAsync(path, JobEditor.Remove(text, path, ctx.Result.GetValue(name)!), ct).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(new Json.JobFileReport(ctx.Result.GetValue(name), path));
            else if (!ctx.Quiet)
                ctx.Out.WriteLine($"job {ctx.Result.GetValue(name)} removed from {path}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The file that applies, or the one --config names, or the user's (created).</summary>
    private static string FileToEdit(CliContext ctx)
    {
        if (ctx.Global.ConfigFile is { } given)
            return Path.GetFullPath(given);
        if (ctx.Configuration.File is { } existing)
            return existing;
        return UserDirectories.ConfigurationFile;
    }
}
