using System.CommandLine;
using Cairn.Commands;
using Cairn.Commands.Restore;
using Cairn.Core.Restore;

namespace Cairn.Cli;

/// <summary><c>cairn restore</c>.</summary>
internal static class RestoreCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("restore", "Restore a snapshot, or a path in it, to a directory. With SNAPSHOT:PATH the contents of PATH land directly in the target.",
            "cairn -r /srv/backup restore latest:/home/me/documents --target /tmp/documents");
        var snapshot = new Argument<string>("SNAPSHOT[:PATH]") { Description = "snapshot ID, unique prefix or 'latest', optionally with :PATH" };
        var target = new Option<string>("--target", "-t") { Description = "directory to restore into", Required = true };
        var include = new Option<string[]>("--include", "-i") { Description = "restore only paths matching PATTERN (repeatable)" };
        var exclude = new Option<string[]>("--exclude", "-e") { Description = "skip paths matching PATTERN (repeatable)" };
        var verify = new Option<bool>("--verify") { Description = "read restored files back and compare them with the snapshot" };
        var noOwner = new Option<bool>("--no-owner") { Description = "leave restored entries owned by the restoring user" };
        var numericOwner = new Option<bool>("--numeric-owner") { Description = "give owners by the ids in the snapshot, not by user and group names" };
        var noXattrs = new Option<bool>("--no-xattrs") { Description = "do not restore extended attributes (ACLs excepted)" };
        var noAcls = new Option<bool>("--no-acls") { Description = "do not restore POSIX ACLs" };
        var noTimes = new Option<bool>("--no-times") { Description = "do not restore access and modification times" };
        var noFlags = new Option<bool>("--no-flags") { Description = "do not restore chattr flags (immutable, append-only, nodump...)" };
        var noSparse = new Option<bool>("--no-sparse") { Description = "write zeros where sparse files had holes" };
        var quietMetadata = new Option<bool>("--quiet-metadata-warnings")
        {
            Description = "do not print which metadata the target could not hold (exit code 3 still says so; also CAIRN_QUIET_METADATA_WARNINGS=1 or quiet-metadata-warnings in [restore] of cairn.toml)",
        };
        command.Arguments.Add(snapshot);
        foreach (var o in new Option[] { target, include, exclude, verify, noOwner, numericOwner, noXattrs, noAcls, noTimes, noFlags, noSparse, quietMetadata })
            command.Options.Add(o);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var r = ctx.Result;
            var options = new RestoreCommandOptions
            {
                Snapshot = r.GetValue(snapshot)!,
                Target = r.GetValue(target)!,
                Includes = r.GetValue(include) ?? [],
                Excludes = r.GetValue(exclude) ?? [],
                Verify = r.GetValue(verify),
                NoOwner = r.GetValue(noOwner),
                NumericOwner = r.GetValue(numericOwner),
                NoXattrs = r.GetValue(noXattrs),
                NoAcls = r.GetValue(noAcls),
                NoTimes = r.GetValue(noTimes),
                NoSparse = r.GetValue(noSparse),
                NoFlags = r.GetValue(noFlags),
                QuietMetadataWarnings = r.GetValue(quietMetadata) || Environment.GetEnvironmentVariable("CAIRN_QUIET_METADATA_WARNINGS") is "1" or "true"
                    || ctx.Configuration.QuietMetadataWarnings,
            };
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            var progress = new RestoreProgress();
            var warnings = new WarningPrinter(ctx.Error);
            progress.WarningReceived = warnings.Print;
            RestoreResult result;
            await using (var line = new ProgressLine(ctx.Error, ctx.ShowProgress, elapsed => ProgressText(progress, elapsed), ctx.Progress))
            {
                warnings.Line = line.Enabled ? line : null;
                result = await RestoreHandler.RunAsync(repository, options, progress, ct).ConfigureAwait(false);
            }
            if (ctx.Json)
                ctx.WriteJson(result);
            else if (!ctx.Quiet)
                ctx.Out.WriteLine($"restored {Humanize.Count(result.Files)} entries, {Humanize.Bytes(result.Bytes)} to {options.Target}"
                    + (options.Verify ? $"; {Humanize.Count(result.Verified)} files verified" : ""));
            if (!options.QuietMetadataWarnings)
            {
                foreach (var line in MetadataWarnings.Lines(result.Dropped))
                    ctx.Error.WriteLine(line);
            }
            if (result.Errors > 0)
            {
                ctx.Error.WriteLine($"cairn: {result.Errors} entries were not restored correctly; the others were");
                return ExitCodes.Damaged;
            }
            return result.Dropped.Count > 0 ? ExitCodes.Incomplete : ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>
    /// The progress line. While files are still being planned (a restore plans a batch ahead of what it writes), the
    /// totals are the snapshot summary's, marked "~", where the restore takes a whole snapshot; otherwise those
    /// planned so far, marked "+", with no time left guessed.
    /// </summary>
    internal static string ProgressText(RestoreProgress progress, TimeSpan elapsed)
    {
        long files = progress.TotalFiles, bytes = progress.TotalBytes;
        string before = "", after = "";
        if (!progress.AllPlanned && progress.ExpectedBytes > 0)
        {
            (files, bytes) = (Math.Max(files, progress.ExpectedFiles), Math.Max(bytes, progress.ExpectedBytes));
            before = "~";
        }
        else if (!progress.AllPlanned)
            after = "+";
        return $"[{Humanize.Duration(elapsed)}] {Humanize.Count(progress.FilesDone)}/{before}{Humanize.Count(files)}{after} files, "
            + $"{Humanize.Bytes(progress.BytesDone)} of {before}{Humanize.Bytes(bytes)}{after}  {ProgressLine.Rate(progress.BytesDone, elapsed)}"
            + (after.Length == 0 ? $"  {ProgressLine.Eta(progress.BytesDone, bytes, elapsed)}" : "");
    }
}
