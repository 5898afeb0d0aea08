using System.CommandLine;
using System.Globalization;
using Cairn.Commands;
using Cairn.Commands.Forget;
using Cairn.Core;
using Cairn.Core.Retention;

namespace Cairn.Cli;

/// <summary><c>cairn forget</c>.</summary>
internal static class ForgetCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("forget",
            "Remove snapshots: those named, or those a retention policy does not keep. Snapshots are grouped by host and paths "
            + "(--group-by) and the policy is applied to each group; a snapshot is kept when any --keep-* rule keeps it. "
            + "The data of removed snapshots stays in the repository until it is pruned.",
            "cairn -r /srv/backup forget --keep-daily 7 --keep-weekly 5 --keep-monthly 12 --dry-run");
        var snapshots = new Argument<string[]>("SNAPSHOT") { Description = "snapshot IDs, unique prefixes or 'latest' (instead of a policy)", Arity = ArgumentArity.ZeroOrMore };
        var counts = new (string Name, string Alias, string What)[]
        {
            ("--keep-last", "-l", "the N most recent snapshots"),
            ("--keep-hourly", "-H", "the newest snapshot of each of the last N hours that have one"),
            ("--keep-daily", "-d", "the newest snapshot of each of the last N days that have one"),
            ("--keep-weekly", "-w", "the newest snapshot of each of the last N weeks (Monday to Sunday) that have one"),
            ("--keep-monthly", "-m", "the newest snapshot of each of the last N months that have one"),
            ("--keep-yearly", "-y", "the newest snapshot of each of the last N years that have one"),
        }.Select(c => new Option<string?>(c.Name, c.Alias) { Description = $"keep {c.What} ('unlimited' for all)" }).ToArray();
        var spans = new (string Name, string What)[]
        {
            ("--keep-within", "every snapshot"),
            ("--keep-within-hourly", "the newest snapshot of every hour"),
            ("--keep-within-daily", "the newest snapshot of every day"),
            ("--keep-within-weekly", "the newest snapshot of every week"),
            ("--keep-within-monthly", "the newest snapshot of every month"),
            ("--keep-within-yearly", "the newest snapshot of every year"),
        }.Select(s => new Option<string?>(s.Name) { Description = $"keep {s.What} within DURATION (e.g. 1y6m, 7d, 36h; m is months) of the newest snapshot" }).ToArray();
        var keepTag = new Option<string[]>("--keep-tag") { Description = "keep snapshots with all of these tags (TAG[,TAG]; repeatable; '' for untagged ones)" };
        var groupBy = new Option<string>("--group-by", "-g") { Description = "group by host, paths and/or tags (comma-separated; '' for one group)", DefaultValueFactory = _ => "host,paths" };
        var host = new Option<string[]>("--host") { Description = "only consider snapshots of HOST (repeatable)" };
        var tag = new Option<string[]>("--tag") { Description = "only consider snapshots with all of TAG[,TAG] (repeatable: any of them)" };
        var path = new Option<string[]>("--path") { Description = "only consider snapshots that include PATH (repeatable: all of them)" };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "show what would be removed; remove nothing" };
        command.Arguments.Add(snapshots);
        foreach (var o in counts.Concat(spans).Concat(new Option[] { keepTag, groupBy, host, tag, path, dryRun }))
            command.Options.Add(o);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var r = ctx.Result;
            var policy = new RetentionPolicy
            {
                Last = Count(r, counts[0]),
                Hourly = Count(r, counts[1]),
                Daily = Count(r, counts[2]),
                Weekly = Count(r, counts[3]),
                Monthly = Count(r, counts[4]),
                Yearly = Count(r, counts[5]),
                Within = Span(r, spans[0]),
                WithinHourly = Span(r, spans[1]),
                WithinDaily = Span(r, spans[2]),
                WithinWeekly = Span(r, spans[3]),
                WithinMonthly = Span(r, spans[4]),
                WithinYearly = Span(r, spans[5]),
                KeepTags = [.. (r.GetValue(keepTag) ?? []).Select(TagSet)],
            };
            SnapshotGrouping grouping;
            try
            {
                grouping = ForgetOptions.ParseGroupBy(r.GetValue(groupBy) ?? "");
            }
            catch (FormatException e)
            {
                throw new CairnException(ErrorKind.Usage, e.Message);
            }
            var options = new ForgetOptions
            {
                Snapshots = r.GetValue(snapshots) ?? [],
                Policy = policy,
                GroupBy = grouping,
                Hosts = r.GetValue(host) ?? [],
                Tags = [.. (r.GetValue(tag) ?? []).Select(TagSet)],
                Paths = r.GetValue(path) ?? [],
                DryRun = r.GetValue(dryRun),
            };
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            var result = await ForgetHandler.RunAsync(repository, options, ct).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(result);
            else if (!ctx.Quiet)
                Print(ctx.Out, result);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Print(TextWriter output, ForgetResult result)
    {
        var verb = result.DryRun ? "would remove" : "removed";
        foreach (var group in result.Groups)
        {
            output.WriteLine($"{group.Group}: keep {group.Policy}");
            foreach (var d in group.Decisions)
                output.WriteLine($"  {(d.Keep ? "keep  " : "remove")}  {d.Snapshot.ShortId}  {Humanize.Time(d.Snapshot.Time)}  {string.Join(", ", d.Reasons)}");
        }
        if (result.Groups.Count == 0)
        {
            foreach (var s in result.Removed)
                output.WriteLine($"{verb} snapshot {s.ShortId}  {Humanize.Time(s.Time)}  {s.Host}  {string.Join(", ", s.Paths)}");
        }
        else
            output.WriteLine($"{verb} {result.Removed.Count} snapshot{(result.Removed.Count == 1 ? "" : "s")}");
    }

    private static int Count(ParseResult r, Option<string?> option)
    {
        if (r.GetValue(option) is not { } text)
            return 0;
        if (text is "unlimited" or "-1")
            return RetentionPolicy.Unlimited;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            throw new CairnException(ErrorKind.Usage, $"invalid {option.Name} '{text}'", "give a number, or 'unlimited'");
        return n;
    }

    private static RetentionDuration? Span(ParseResult r, Option<string?> option)
    {
        if (r.GetValue(option) is not { } text)
            return null;
        try
        {
            return RetentionDuration.Parse(text);
        }
        catch (FormatException e)
        {
            throw new CairnException(ErrorKind.Usage, $"{option.Name}: {e.Message}");
        }
    }

    private static IReadOnlyList<string> TagSet(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
