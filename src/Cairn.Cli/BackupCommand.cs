using System.CommandLine;
using Cairn.Commands;
using Cairn.Commands.Backup;
using Cairn.Core;
using Cairn.Core.Backup;

namespace Cairn.Cli;

/// <summary><c>cairn backup</c>.</summary>
internal static class BackupCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("backup", "Back up files and directories into a new snapshot.",
            "cairn -r /srv/backup backup --exclude '*.tmp' --tag daily ~/documents /etc");
        var paths = new Argument<string[]>("PATH") { Description = "files and directories to back up (none with --stdin)", Arity = ArgumentArity.ZeroOrMore };
        var stdin = new Option<bool>("--stdin") { Description = "back up standard input as one file (name it with --stdin-filename)" };
        var stdinFilename = new Option<string>("--stdin-filename") { Description = "the file name a stream is stored as", DefaultValueFactory = _ => "stdin" };
        var commandSource = new Option<string[]>("--command-source")
        {
            Description = "store what COMMAND writes to its output as /NAME in the same snapshot as the paths: NAME=COMMAND, e.g. 'mydb.sql=pg_dump mydb' (repeatable; a failing command makes no snapshot)",
        };
        var stdinFromCommand = new Option<string?>("--stdin-from-command") { Description = "back up what COMMAND (run by /bin/sh) writes to its output; if it fails, no snapshot is made" };
        var exclude = new Option<string[]>("--exclude", "-e") { Description = "skip paths matching PATTERN (repeatable)" };
        var excludeFile = new Option<string[]>("--exclude-file") { Description = "read exclude patterns from FILE (repeatable)" };
        var excludeIfPresent = new Option<string[]>("--exclude-if-present") { Description = "skip directories that hold a file named NAME" };
        var oneFs = new Option<bool>("--one-file-system", "-x") { Description = "do not cross filesystem boundaries" };
        var tags = new Option<string[]>("--tag") { Description = "add TAG to the snapshot (repeatable)" };
        var destroyAfter = new Option<string?>("--destroy-after") { Description = "a forget with a policy removes the snapshot this long after its time (e.g. 90d, 1y), whatever keep rules say; a hold still wins" };
        var host = new Option<string?>("--host") { Description = "record HOST instead of this machine's name" };
        var time = new Option<string?>("--time") { Description = "record TIME (ISO 8601) as the snapshot's time" };
        var parent = new Option<string?>("--parent") { Description = "compare against SNAPSHOT instead of the latest of this host and paths" };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "show what would be stored; store nothing" };
        var force = new Option<bool>("--force") { Description = "read every file again, even when unchanged" };
        var excludeNodump = new Option<bool>("--exclude-nodump") { Description = "skip files and directories marked with chattr +d (nodump)" };
        var retryChanged = new Option<int?>("--retry-changed") { Description = "read a file that changed while it was read again up to N times (default 2)" };
        var rereadMaxSize = new Option<string?>("--reread-max-size") { Description = "do not read again files larger than SIZE (default 1G)" };
        var rereadMaxTime = new Option<string?>("--reread-max-time") { Description = "do not read again files whose read took longer than DURATION (default 30s)" };
        var rehash = new Option<bool>("--rehash") { Description = "read unchanged files too, and report any whose content changed although size, times and inode did not" };
        var ignoreCtime = new Option<bool>("--ignore-ctime") { Description = "a changed ctime alone does not make a file changed (network and FUSE filesystems; per path: [[change-detection]] in cairn.toml)" };
        var ignoreInode = new Option<bool>("--ignore-inode") { Description = "a changed inode number alone does not make a file changed (filesystems without stable inodes)" };
        var compression = new Option<string?>("--compression") { Description = "off|auto|fastest|default|max|1-22 (default: the repository's)" };
        var verifyDedup = new Option<bool>("--verify-dedup") { Description = "compare stored data byte by byte before deduplicating against it" };
        foreach (var o in new Option[] { exclude, excludeFile, excludeIfPresent, excludeNodump, oneFs, tags, destroyAfter, stdin, stdinFilename, stdinFromCommand, commandSource, host, time, parent, dryRun, force, rehash, ignoreCtime, ignoreInode, retryChanged, rereadMaxSize, rereadMaxTime, compression, verifyDedup })
            command.Options.Add(o);
        command.Arguments.Add(paths);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var r = ctx.Result;
            var snapshotTime = CliApp.SnapshotTime(r.GetValue(time));
            if (r.GetValue(compression) is { } c)
            {
                try
                {
                    Core.Compression.CompressionSetting.Parse(c);
                }
                catch (FormatException e)
                {
                    throw new CairnException(ErrorKind.Usage, e.Message);
                }
            }
            var options = new BackupCommandOptions
            {
                Paths = r.GetValue(paths) ?? [],
                Stdin = r.GetValue(stdin),
                StdinFilename = r.GetValue(stdinFilename) ?? "stdin",
                StdinFromCommand = r.GetValue(stdinFromCommand),
                CommandSources = (r.GetValue(commandSource) ?? []).Select(CommandSource.Parse).ToList(),
                Excludes = r.GetValue(exclude) ?? [],
                ExcludeFiles = r.GetValue(excludeFile) ?? [],
                ExcludeIfPresent = r.GetValue(excludeIfPresent) ?? [],
                OneFileSystem = r.GetValue(oneFs),
                Tags = r.GetValue(tags) ?? [],
                DestroyAfter = r.GetValue(destroyAfter) is { } span ? KeepOptions.Duration("--destroy-after", span) : null,
                Host = r.GetValue(host),
                Time = snapshotTime,
                Parent = r.GetValue(parent),
                DryRun = r.GetValue(dryRun),
                Force = r.GetValue(force),
                IgnoreCtime = r.GetValue(ignoreCtime),
                ExcludeNodump = r.GetValue(excludeNodump),
                Rehash = r.GetValue(rehash),
                RetryChanged = r.GetValue(retryChanged),
                RereadMaxSize = r.GetValue(rereadMaxSize),
                RereadMaxTime = r.GetValue(rereadMaxTime),
                IgnoreInode = r.GetValue(ignoreInode),
                Compression = r.GetValue(compression),
                VerifyDedup = r.GetValue(verifyDedup),
                ChangeDetectionRules = ctx.Configuration.ChangeDetection,
            };
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            var progress = new BackupProgress();
            var warnings = new WarningPrinter(ctx.Error);
            progress.WarningReceived = warnings.Print;
            BackupResult result;
            await using (var line = new ProgressLine(ctx.Error, ctx.ShowProgress, elapsed =>
                $"[{Humanize.Duration(elapsed)}] {Humanize.Count(progress.FilesDone)}{(progress.TotalFiles > 0 ? "/" + Humanize.Count(progress.TotalFiles) : "")} files, {Humanize.Bytes(progress.BytesDone)}"
                + (progress.TotalBytes > 0 ? $" of {Humanize.Bytes(progress.TotalBytes)}" : "")
                + $"  {ProgressLine.Rate(progress.BytesDone, elapsed)}  {ProgressLine.Eta(progress.BytesDone, progress.TotalBytes, elapsed)}"
                + (progress.Errors > 0 ? $"  {progress.Errors} errors" : ""), ctx.Progress))
            {
                warnings.Line = line.Enabled ? line : null;
                progress.WantsTotals = line.Followed;
                result = await BackupHandler.RunAsync(repository, options, progress, ct).ConfigureAwait(false);
            }
            var s = result.Summary;
            if (ctx.Json)
                ctx.WriteJson(result);
            else if (!ctx.Quiet)
            {
                if (result.RecoveredPacks > 0)
                    ctx.Out.WriteLine($"reused {result.RecoveredPacks} packs left by an interrupted backup");
                if (result.Parent is { } p)
                    ctx.Out.WriteLine($"using parent snapshot {p[..8]}");
                ctx.Out.WriteLine($"Files:       {Humanize.Count(s.FilesNew)} new, {Humanize.Count(s.FilesChanged)} changed, {Humanize.Count(s.FilesUnmodified)} unmodified");
                ctx.Out.WriteLine($"Dirs:        {Humanize.Count(s.Directories)}");
                ctx.Out.WriteLine($"Added:       {Humanize.Bytes(s.DataAdded)} in {Humanize.Count(s.BlobsAdded)} blobs ({Humanize.Bytes(s.DataAddedStored)} stored)");
                ctx.Out.WriteLine($"Processed:   {Humanize.Count(s.TotalFiles)} entries, {Humanize.Bytes(s.TotalBytes)} in {Humanize.Duration(s.Finished - s.Started)}");
                ctx.Out.WriteLine(result.DryRun ? "dry run: nothing was stored" : $"snapshot {result.SnapshotId![..8]} saved");
            }
            if (s.FilesChangedDuringBackup > 0)
                ctx.Error.WriteLine($"cairn: {Humanize.Count(s.FilesChangedDuringBackup)} files changed every time they were read; the snapshot holds their last read, marked as changed during the backup");
            if (s.FilesSilentlyChanged > 0)
                ctx.Error.WriteLine($"cairn: {Humanize.Count(s.FilesSilentlyChanged)} files have new content although their size, times and inode did not change (see the warnings)");
            if (s.Errors > 0)
                ctx.Error.WriteLine($"cairn: {s.Errors} entries could not be read and are missing from the snapshot");
            return s.Errors > 0 || s.FilesChangedDuringBackup > 0 || s.FilesSilentlyChanged > 0 ? ExitCodes.Incomplete : ExitCodes.Ok;
        }));
        return command;
    }
}
