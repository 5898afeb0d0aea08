using System.CommandLine;
using Cairn.Commands;
using Cairn.Commands.Repair;
using Cairn.Core.Repair;

namespace Cairn.Cli;

/// <summary><c>cairn repair index</c> and <c>cairn repair snapshots</c>.</summary>
internal static class RepairCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("repair",
            "Repair a damaged repository: rebuild the index from the packs, then rewrite snapshots that refer to lost data.",
            "cairn -r /srv/backup repair index && cairn -r /srv/backup repair snapshots --forget");

        var index = new Command("index", "Rebuild the index from the packs' own headers; packs whose header is unreadable are reported and left out.");
        index.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            var result = await RepairHandlers.IndexAsync(repository, ct).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(result);
            else
            {
                foreach (var d in result.DamagedPacks)
                    ctx.Error.WriteLine($"warning: {d.Name}: {d.Reason}; kept with what the old index said of it, if anything");
                if (!ctx.Quiet)
                    ctx.Out.WriteLine($"indexed {Humanize.Count(result.Packs)} packs ({Humanize.Count(result.Blobs)} blobs) in {result.IndexFilesWritten} index files; "
                        + $"removed {result.IndexFilesRemoved} old index files"
                        + (result.DamagedPacks.Count > 0 ? $"; {result.DamagedPacks.Count} damaged packs left out: run 'cairn repair snapshots'" : ""));
            }
            return ExitCodes.Ok;
        }));

        var snapshots = new Command("snapshots", "Rewrite snapshots that refer to data the index lacks: files with a lost chunk are left out, "
            + "directories whose listing is lost become empty; the copy is tagged 'repaired' and lists what was lost.");
        var forget = new Option<bool>("--forget") { Description = "remove each damaged snapshot once its repaired copy is stored" };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "show what is damaged; write nothing" };
        snapshots.Options.Add(forget);
        snapshots.Options.Add(dryRun);
        snapshots.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var options = new SnapshotRepairOptions(ctx.Result.GetValue(dryRun), ctx.Result.GetValue(forget));
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            var result = await RepairHandlers.SnapshotsAsync(repository, options, ct).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(result);
            else
            {
                foreach (var u in result.Unreadable)
                    ctx.Error.WriteLine($"warning: {u.Name}: {u.Reason}");
                foreach (var r in result.Repaired)
                {
                    var what = r.Replacement is { } id ? $"repaired as {id[..8]}" : options.DryRun ? "damaged" : "nothing could be kept";
                    ctx.Out.WriteLine($"snapshot {r.Original[..8]}: {what}{(options.Forget && !options.DryRun ? ", original removed" : "")}");
                    foreach (var path in r.Lost)
                        ctx.Out.WriteLine($"  lost: {path}");
                }
                if (!ctx.Quiet)
                    ctx.Out.WriteLine($"checked {result.Checked} snapshots: {result.Repaired.Count} damaged");
            }
            return ExitCodes.Ok;
        }));
        command.Subcommands.Add(index);
        command.Subcommands.Add(snapshots);
        return command;
    }
}
