using System.CommandLine;
using System.Globalization;
using Cairn.Commands;
using Cairn.Commands.Prune;
using Cairn.Core;
using Cairn.Core.Prune;

namespace Cairn.Cli;

/// <summary><c>cairn prune</c>.</summary>
internal static class PruneCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("prune",
            "Reclaim the space of data no snapshot uses: delete packs that hold nothing in use and repack those that hold little. "
            + "Backups may run meanwhile: packs leave the index at once and are deleted once no operation that could still use them runs "
            + "(by this prune, or by the next one).",
            "cairn -r /srv/backup prune --max-unused 5% --dry-run");
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "show the plan; change nothing" };
        var maxUnused = new Option<string>("--max-unused") { Description = "unused data to tolerate: a share of the data kept (10%), a size (500M) or 'unlimited'", DefaultValueFactory = _ => "10%" };
        var maxRepack = new Option<string?>("--max-repack-size") { Description = "repack at most SIZE of packs in this run (e.g. 2G)" };
        var overwriteFreed = new Option<bool>("--overwrite-freed") { Description = "overwrite each pack with zeros before deleting it (local and SFTP repositories)" };
        foreach (var o in new Option[] { dryRun, maxUnused, maxRepack, overwriteFreed })
            command.Options.Add(o);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var r = ctx.Result;
            PruneOptions options;
            try
            {
                options = new PruneOptions
                {
                    DryRun = r.GetValue(dryRun),
                    MaxUnused = PruneLimit.Parse(r.GetValue(maxUnused) ?? "10%", Units.ParseSize),
                    MaxRepackBytes = r.GetValue(maxRepack) is { } size ? Units.ParseSize(size) : long.MaxValue,
                    OverwriteFreed = r.GetValue(overwriteFreed),
                };
            }
            catch (FormatException e)
            {
                throw new CairnException(ErrorKind.Usage, e.Message, "e.g. --max-unused 5% or --max-unused 1G; --max-repack-size 2G");
            }
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            Action<string>? step = ctx.ShowProgress ? s => ctx.Error.WriteLine(s + " …") : null;
            var result = await PruneHandler.RunAsync(repository, options, step, ct).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(Json.PruneReport.From(result));
            else if (!ctx.Quiet)
                Print(ctx.Out, result);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Print(TextWriter output, PruneResult result)
    {
        var plan = result.Plan;
        var verb = result.DryRun ? "would " : "";
        output.WriteLine($"packs: {plan.Delete.Count + plan.Repack.Count + plan.Keep} ({Humanize.Bytes(plan.TotalBytesBefore)}), "
            + $"data in use {Humanize.Bytes(plan.UsedBytes)}, unused {Humanize.Bytes(plan.UnusedBytesBefore)}");
        if (plan.IsEmpty)
            output.WriteLine("nothing to prune" + (plan.UnusedBytesBefore > 0 ? " (the unused data is within --max-unused)" : ""));
        else
        {
            output.WriteLine($"{verb}delete {plan.Delete.Count} packs ({Humanize.Bytes(plan.DeleteBytes)}) and repack {plan.Repack.Count} "
                + $"({Humanize.Bytes(plan.RepackBytes)}, copying {Humanize.Bytes(plan.RepackUsedBytes)})");
            output.WriteLine($"{verb}free {Humanize.Bytes(plan.FreedBytes)}; unused data left: {Humanize.Bytes(plan.UnusedBytesAfter)} ({Share(plan.UnusedBytesAfter, plan.UsedBytes + plan.UnusedBytesAfter)})");
        }
        if (result.DryRun)
            return;
        if (result.PacksDeleted > 0)
            output.WriteLine($"deleted {result.PacksDeleted} packs ({Humanize.Bytes(result.BytesDeleted)})");
        if (result.PacksKept > 0)
            output.WriteLine($"kept {result.PacksKept} packs of an earlier prune that a backup running then still used");
        if (result.NotesWaiting > 0)
            output.WriteLine($"{result.PacksWaiting} packs are out of the index and are deleted by the next prune once these have ended: {string.Join("; ", result.WaitingFor)}");
        if (result.PacksAwaitingOverwrite > 0)
            output.WriteLine($"{result.PacksAwaitingOverwrite} packs are out of the index and wait to be overwritten with zeros before they are deleted "
                + "(a prune with --overwrite-freed freed them), which this repository's store cannot do: a prune on the repository's own disk or over SFTP deletes them");
    }

    private static string Share(long part, long whole) =>
        whole == 0 ? "0%" : (100.0 * part / whole).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
