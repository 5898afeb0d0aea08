using System.CommandLine;
using Cairn.Commands;
using Cairn.Commands.Export;
using Cairn.Core;
using Cairn.Core.Export;

namespace Cairn.Cli;

/// <summary><c>cairn export</c>.</summary>
internal static class ExportCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("export",
            "Write a snapshot, or a path in it, as a tar archive that GNU tar restores with every piece of metadata it can carry "
            + "(pax: attributes, ACLs, sparse files, hard links, devices, nanosecond times), to a file, a device or standard output. "
            + "With --header a 32 KiB plain-text block in front says what the archive holds and how to restore it with dd and tar alone.",
            "cairn -r /srv/backup export latest:/home/me --header --compress zstd --output /media/usb/home.tar.zst");
        var snapshot = new Argument<string>("SNAPSHOT[:PATH]") { Description = "snapshot ID, unique prefix or 'latest', optionally with :PATH" };
        var output = new Option<string>("--output", "-o") { Description = "FILE, DEVICE, or - for standard output (default: -)", DefaultValueFactory = _ => "-" };
        var format = new Option<string>("--format") { Description = "pax (default: everything tar can carry), gnu (old GNU tar: no attributes, ACLs or sub-second times) or zip", DefaultValueFactory = _ => "pax" };
        var header = new Option<bool>("--header") { Description = "put a 32 KiB plain-text header in front: what the archive holds and the commands that restore it" };
        var compress = new Option<string>("--compress") { Description = "zstd, gzip or none (default)", DefaultValueFactory = _ => "none" };
        var filter = new Option<string?>("--filter") { Description = "pipe the archive (after compression) through COMMAND, e.g. 'gpg --encrypt -r KEY'" };
        var filterRestore = new Option<string?>("--filter-restore") { Description = "the command that undoes --filter, for the header (known for gpg, zstd, gzip, xz, …)" };
        var volumeSize = new Option<string?>("--volume-size") { Description = "split into volumes of at most SIZE (e.g. 4480M for a DVD), each a complete archive, with a manifest" };
        var blockSize = new Option<string>("--block-size") { Description = "record size, a multiple of 512 (default 10K, tar's); every write to a tape is one record", DefaultValueFactory = _ => "10K" };
        var verify = new Option<bool>("--verify") { Description = "read every volume back after writing it and compare" };
        var quietMetadata = new Option<bool>("--quiet-metadata-warnings") { Description = "do not print which metadata the format cannot carry" };
        var manifest = new Option<string?>("--manifest") { Description = "write the list of members per volume to FILE (default with volumes: OUTPUT.manifest)" };
        command.Arguments.Add(snapshot);
        foreach (var o in new Option[] { output, format, header, compress, filter, filterRestore, volumeSize, blockSize, verify, manifest, quietMetadata })
            command.Options.Add(o);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var r = ctx.Result;
            var options = new ExportCommandOptions
            {
                Snapshot = r.GetValue(snapshot)!,
                Output = r.GetValue(output)!,
                Format = r.GetValue(format) switch
                {
                    "pax" => ExportFormat.Pax,
                    "gnu" => ExportFormat.Gnu,
                    "zip" => ExportFormat.Zip,
                    var other => throw new CairnException(ErrorKind.Usage, $"unknown format '{other}'", "use pax, gnu or zip"),
                },
                Header = r.GetValue(header),
                Compress = r.GetValue(compress)!,
                Filter = r.GetValue(filter),
                FilterRestore = r.GetValue(filterRestore),
                VolumeSize = r.GetValue(volumeSize) is { } size ? Size(size, "--volume-size") : null,
                BlockSize = (int)Size(r.GetValue(blockSize)!, "--block-size"),
                Verify = r.GetValue(verify),
                Manifest = r.GetValue(manifest),
            };
            var quietMetadataWarnings = r.GetValue(quietMetadata) || Environment.GetEnvironmentVariable("CAIRN_QUIET_METADATA_WARNINGS") is "1" or "true";
            var toStdout = options.Output == "-";
            if (toStdout && ctx.StandardOutputIsTerminal)
                throw new CairnException(ErrorKind.Usage, "refusing to write an archive to a terminal", "give --output FILE, or pipe the output");
            // With the archive on standard output, the report goes to standard error.
            var report = toStdout ? ctx.Error : ctx.Out;
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            var progress = new ExportProgress();
            var warnings = new WarningPrinter(ctx.Error);
            progress.WarningReceived = warnings.Print;
            ExportCommandResult result;
            await using (var line = new ProgressLine(ctx.Error, ctx.ShowProgress, elapsed =>
                $"[{Humanize.Duration(elapsed)}] {Humanize.Count(progress.Members)} entries, {Humanize.Bytes(progress.Bytes)}, volume {progress.Volumes}  {ProgressLine.Rate(progress.Bytes, elapsed)}", ctx.Progress))
            {
                warnings.Line = line.Enabled ? line : null;
                result = await ExportHandler.RunAsync(repository, options, progress, ctx.OpenStandardOutput, NextMediumAsync, ct).ConfigureAwait(false);
            }
            if (ctx.Json)
                report.WriteLine(CliContext.ToJson(result));
            else if (!ctx.Quiet)
            {
                foreach (var v in result.Volumes.Where(_ => result.Volumes.Count > 1 || !toStdout))
                    report.WriteLine($"volume {v.Number}: {v.Path}, {Humanize.Count(v.Members)} entries, {Humanize.Bytes(v.Bytes)}{(v.Verified ? ", verified" : "")}");
                report.WriteLine($"exported {Humanize.Count(result.Members)} entries, {Humanize.Bytes(result.Bytes)} of content from snapshot {result.Snapshot[..8]}"
                    + (result.SplitFiles > 0 ? $"; {result.SplitFiles} files split into parts" : "")
                    + (result.Manifest is not null ? $"; manifest {result.Manifest}" : ""));
            }
            foreach (var loss in quietMetadataWarnings ? [] : result.Losses)
                ctx.Error.WriteLine($"cairn: warning: the {r.GetValue(format)} format cannot carry {loss.What}: {Humanize.Count(loss.Entries)} entries lose it (first: {loss.FirstPath})");
            if (result.Errors > 0)
            {
                ctx.Error.WriteLine($"cairn: {result.Errors} entries could not be read in full from the repository; zeros stand in for the lost data");
                return ExitCodes.Damaged;
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static long Size(string text, string option)
    {
        try
        {
            return Units.ParseSize(text);
        }
        catch (FormatException e)
        {
            throw new CairnException(ErrorKind.Usage, $"{option}: {e.Message}");
        }
    }

    /// <summary>Asks on the terminal for the next medium of a multi-volume export to a device.</summary>
    private static async Task NextMediumAsync(int volume, string device, CancellationToken ct)
    {
        await using var tty = new FileStream("/dev/tty", FileMode.Open, FileAccess.ReadWrite);
        using var reader = new StreamReader(tty);
        await using var writer = new StreamWriter(tty) { AutoFlush = true };
        await writer.WriteAsync($"Volume {volume - 1} is written. Put the medium for volume {volume} into {device} and press Enter: ".AsMemory(), ct).ConfigureAwait(false);
        await reader.ReadLineAsync(ct).ConfigureAwait(false);
    }
}
