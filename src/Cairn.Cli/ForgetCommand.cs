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
        var keep = new KeepOptions();
        var groupBy = new Option<string>("--group-by", "-g") { Description = "group by host, paths and/or tags (comma-separated; '' for one group)", DefaultValueFactory = _ => "host,paths" };
        var host = new Option<string[]>("--host") { Description = "only consider snapshots of HOST (repeatable)" };
        var tag = new Option<string[]>("--tag") { Description = "only consider snapshots with all of TAG[,TAG] (repeatable: any of them)" };
        var path = new Option<string[]>("--path") { Description = "only consider snapshots that include PATH (repeatable: all of them)" };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "show what would be removed; remove nothing" };
        var applyPolicy = new Option<bool>("--apply-policy") { Description = "apply the retention policies stored in the repository ('cairn policy') instead of --keep-* rules" };
        command.Arguments.Add(snapshots);
        keep.AddTo(command);
        foreach (var o in new Option[] { applyPolicy, groupBy, host, tag, path, dryRun })
            command.Options.Add(o);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var r = ctx.Result;
            var policy = keep.Parse(r);
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
                Tags = [.. (r.GetValue(tag) ?? []).Select(KeepOptions.TagSet)],
                Paths = r.GetValue(path) ?? [],
                ApplyPolicy = r.GetValue(applyPolicy),
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
        if (result.Uncovered is { Count: > 0 } uncovered)
            output.WriteLine($"kept {uncovered.Count} snapshot{(uncovered.Count == 1 ? "" : "s")} that no stored policy covers");
    }
}
