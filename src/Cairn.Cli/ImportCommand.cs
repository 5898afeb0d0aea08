using System.CommandLine;
using Cairn.Commands;
using Cairn.Commands.Import;

namespace Cairn.Cli;

/// <summary><c>cairn import</c>.</summary>
internal static class ImportCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("import",
            "Make a snapshot from a tar archive (ustar, pax or GNU format; plain, gzip or zstd, told by its first bytes; - reads standard input), "
            + "keeping every piece of metadata the archive carries: owners, modes, nanosecond times, extended attributes, ACLs, hard links, "
            + "sparse files, devices. A damaged or cut-short archive makes no snapshot.",
            "tar -C /srv/www --xattrs --acls --sparse --format=posix -cf - . | zstd | cairn -r /srv/backup import --tag www -");
        var archive = new Argument<string>("ARCHIVE") { Description = "the tar archive, or - for standard input" };
        var tags = new Option<string[]>("--tag") { Description = "add TAG to the snapshot (repeatable)" };
        var host = new Option<string?>("--host") { Description = "record HOST instead of this machine's name" };
        var time = new Option<string?>("--time") { Description = "record TIME (ISO 8601) as the snapshot's time" };
        var destroyAfter = new Option<string?>("--destroy-after") { Description = "a forget with a policy removes the snapshot this long after its time (e.g. 90d, 1y), whatever keep rules say; a hold still wins" };
        var compression = new Option<string?>("--compression") { Description = "off|auto|fastest|default|max|1-22 (default: the repository's)" };
        foreach (var o in new Option[] { tags, host, time, destroyAfter, compression })
            command.Options.Add(o);
        command.Arguments.Add(archive);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var r = ctx.Result;
            var options = new ImportOptions
            {
                Archive = r.GetValue(archive)!,
                Tags = r.GetValue(tags) ?? [],
                Host = r.GetValue(host),
                Time = CliApp.SnapshotTime(r.GetValue(time)),
                DestroyAfter = r.GetValue(destroyAfter) is { } span ? KeepOptions.Duration("--destroy-after", span) : null,
                Compression = r.GetValue(compression),
            };
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            var progress = new ImportProgress();
            var warnings = new WarningPrinter(ctx.Error);
            progress.WarningReceived = warnings.Print;
            ImportResult result;
            await using (var line = new ProgressLine(ctx.Error, ctx.ShowProgress, elapsed =>
                $"[{Humanize.Duration(elapsed)}] {Humanize.Count(progress.Entries)} entries, {Humanize.Bytes(progress.Bytes)}  {ProgressLine.Rate(progress.Bytes, elapsed)}"
                + (progress.Errors > 0 ? $"  {progress.Errors} errors" : ""), ctx.Progress))
            {
                warnings.Line = line.Enabled ? line : null;
                result = await ImportHandler.RunAsync(repository, options, progress, ct).ConfigureAwait(false);
            }
            var s = result.Summary;
            if (ctx.Json)
                ctx.WriteJson(result);
            else if (!ctx.Quiet)
            {
                ctx.Out.WriteLine($"Files:       {Humanize.Count(s.FilesNew)}");
                ctx.Out.WriteLine($"Dirs:        {Humanize.Count(s.Directories)}");
                ctx.Out.WriteLine($"Added:       {Humanize.Bytes(s.DataAdded)} in {Humanize.Count(s.BlobsAdded)} blobs ({Humanize.Bytes(s.DataAddedStored)} stored)");
                ctx.Out.WriteLine($"Processed:   {Humanize.Count(s.TotalFiles)} entries, {Humanize.Bytes(s.TotalBytes)} in {Humanize.Duration(s.Finished - s.Started)}"
                    + (result.Compression == Core.Archive.ArchiveCompression.None ? "" : $" ({result.Compression.ToString().ToLowerInvariant()}-compressed archive)"));
                ctx.Out.WriteLine($"snapshot {result.SnapshotId[..8]} saved");
            }
            if (s.Errors > 0)
                ctx.Error.WriteLine($"cairn: {Humanize.Count(s.Errors)} entries of the archive were not imported (see the warnings)");
            if (result.MetadataNotImported > 0)
                ctx.Error.WriteLine($"cairn: {Humanize.Count(result.MetadataNotImported)} entries were imported without some of the metadata the archive holds for them (see the warnings)");
            return s.Errors > 0 || result.MetadataNotImported > 0 ? ExitCodes.Incomplete : ExitCodes.Ok;
        }));
        return command;
    }
}
