using Cairn.Core;
using Cairn.Core.Backup;
using Cairn.Core.Chunking;
using Cairn.Core.Compression;
using Cairn.Core.Format;
using Cairn.Core.Prune;
using Cairn.Core.Platform;
using Cairn.Core.Repository;
using Cairn.Core.Retention;
using Cairn.Core.Snapshots;

namespace Cairn.Commands.Backup;

/// <summary>Backs up paths into a snapshot.</summary>
public static class BackupHandler
{
    /// <summary>Runs <c>cairn backup</c> against an open repository.</summary>
    public static async Task<BackupResult> RunAsync(Repository repository, BackupCommandOptions options, BackupProgress progress, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Stdin || options.StdinFromCommand is not null)
            return await StreamBackup.RunAsync(repository, options, ct).ConfigureAwait(false);
        if (options.Paths.Count == 0 && options.CommandSources.Count == 0)
            throw new CairnException(ErrorKind.Usage, "no paths to back up", "give at least one path, e.g. 'cairn backup ~/documents'");
        if (options.CommandSources.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new CairnException(ErrorKind.Usage, $"two command sources are named '{twice.Key}'");
        var paths = options.Paths.Select(NormalisePath).Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal).ToList();
        var missing = paths.Where(p => !Exists(p)).ToList();
        if (paths.Count > 0 && missing.Count == paths.Count)
            throw new CairnException(ErrorKind.InvalidInput, $"nothing to back up: {string.Join(", ", missing)} {(missing.Count == 1 ? "does" : "do")} not exist");
        var compression = CompressionSetting.Parse(options.Compression ?? repository.Config.Compression);
        var excludes = options.Excludes.Concat(options.ExcludeFiles.SelectMany(ExcludeFilter.ReadPatternFile)).ToList();
        var host = options.Host ?? Environment.MachineName;

        await using var repoLock = await repository.LockAsync(exclusive: false, "backup", ct).ConfigureAwait(false);
        foreach (var stale in repoLock.StaleLocks)
            progress.Warning("locks", $"stale lock of {stale.Operation} (PID {stale.Pid} on {stale.Host}) since {stale.Time:u}: its process is gone or stopped refreshing it; 'cairn unlock' removes it");
        await repository.LoadIndexAsync(null, ct).ConfigureAwait(false);
        var recovered = options.DryRun ? 0 : await repository.IndexOrphanPacksAsync(ct).ConfigureAwait(false);
        if (!options.DryRun)
            await repository.Storage.RemoveStaleTemporaryFilesAsync(TimeSpan.FromHours(24), ct).ConfigureAwait(false); // half-written objects of killed runs

        Snapshot? parent = null;
        if (options.Parent is not null)
            parent = await SnapshotSelector.ResolveAsync(repository, options.Parent, null, ct).ConfigureAwait(false);
        else if (!options.Force)
        {
            var all = await repository.LoadSnapshotsAsync((_, _) => { }, ct).ConfigureAwait(false);
            parent = all.LastOrDefault(s => s.Host == host && s.Paths.SequenceEqual(SnapshotPaths(paths, options.CommandSources)));
        }

        var backupOptions = new BackupOptions
        {
            Excludes = excludes,
            ExcludeIfPresent = options.ExcludeIfPresent,
            OneFileSystem = options.OneFileSystem,
            ExcludeNodump = options.ExcludeNodump,
            Force = options.Force,
            IgnoreCtime = options.IgnoreCtime,
            Rehash = options.Rehash,
            ChangeDetectionRules = options.ChangeDetectionRules,
            RetryChanged = options.RetryChanged ?? 2,
            RereadMaxSize = options.RereadMaxSize is { } size ? ParseOption(() => Units.ParseSize(size)) : 1L << 30,
            RereadMaxTime = options.RereadMaxTime is { } time ? ParseOption(() => Units.ParseDuration(time)) : TimeSpan.FromSeconds(30),
            IgnoreInode = options.IgnoreInode,
            Compression = compression,
            VerifyDedup = options.VerifyDedup,
        };
        var chunker = new Chunker(repository.Config.Chunker, repository.Keys.ChunkerSeed);
        var started = DateTimeOffset.UtcNow;
        if (options.DryRun)
        {
            var dry = new DryRunSaver(repository);
            var dryResult = await new Archiver(dry, repository, chunker, backupOptions, progress).RunAsync(paths, parent?.Tree, ct).ConfigureAwait(false);
            return new BackupResult(null, parent?.Id.ToString(), dryResult.Summary with { BlobsAdded = dry.BlobsAdded, DataAdded = dry.BytesAdded }, true, 0);
        }

        await using var writer = new BlobWriter(repository, compression, backupOptions.BlobWorkers, options.VerifyDedup, ct);
        // Command output first: a command that fails stops the backup before the paths are read.
        var commandNodes = new List<Core.Trees.Node>();
        long commandBytes = 0;
        foreach (var source in options.CommandSources)
        {
            var (node, length) = await source.RunAsync(chunker, writer, ct).ConfigureAwait(false);
            commandNodes.Add(node);
            commandBytes += length;
        }
        var result = await new Archiver(writer, repository, chunker, backupOptions, progress).RunAsync(paths, parent?.Tree, ct, commandNodes).ConfigureAwait(false);
        await writer.FlushAsync(ct).ConfigureAwait(false);
        var snapshot = new Snapshot
        {
            Time = options.Time ?? started,
            Host = host,
            Tags = options.Tags,
            Summary = result.Summary with
            {
                FilesNew = result.Summary.FilesNew + commandNodes.Count,
                TotalFiles = result.Summary.TotalFiles + commandNodes.Count,
                TotalBytes = result.Summary.TotalBytes + commandBytes,
                BytesRead = result.Summary.BytesRead + commandBytes,
            },
            Paths = SnapshotPaths(paths, options.CommandSources),
            Tree = result.Tree,
            Parent = parent?.Id,
            Excludes = excludes,
        };
        var (id, summary) = await StoreSnapshotAsync(repository, snapshot, writer.Statistics, started, options.DestroyAfter, ct).ConfigureAwait(false);
        return new BackupResult(id.ToString(), parent?.Id.ToString(), summary, false, recovered);
    }

    /// <summary>
    /// The last step of every backup and import: completes the snapshot (what the writer added, times, program, user,
    /// destroy-by date), stores it, and indexes again the packs a prune took out that it uses.
    /// </summary>
    internal static async Task<(SnapshotId Id, SnapshotSummary Summary)> StoreSnapshotAsync(Repository repository, Snapshot snapshot,
        BlobWriterStatistics stats, DateTimeOffset started, RetentionDuration? destroyAfter, CancellationToken ct)
    {
        var summary = snapshot.Summary with
        {
            BlobsAdded = stats.BlobsAdded,
            DataAdded = stats.BytesAdded,
            DataAddedStored = stats.BytesStored,
            Started = started,
            Finished = DateTimeOffset.UtcNow,
        };
        var complete = snapshot with
        {
            Summary = summary,
            ProgramVersion = "cairn " + typeof(BackupHandler).Assembly.GetName().Version?.ToString(3),
            Username = Environment.UserName,
            DestroyAfter = destroyAfter?.After(snapshot.Time),
        };
        var id = await repository.SaveSnapshotAsync(complete, ct).ConfigureAwait(false);
        await NotedPacks.KeepThoseUsedByAsync(repository, complete, ct).ConfigureAwait(false);
        return (id, summary);
    }

    /// <summary>The snapshot's paths: the backed-up paths and /NAME for each command's output, in order.</summary>
    private static List<string> SnapshotPaths(IEnumerable<string> paths, IEnumerable<CommandSource> sources) =>
        paths.Concat(sources.Select(s => "/" + s.Name)).OrderBy(p => p, StringComparer.Ordinal).ToList();

    private static T ParseOption<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (FormatException e)
        {
            throw new CairnException(ErrorKind.InvalidInput, e.Message);
        }
    }

    private static string NormalisePath(string path)
    {
        var full = Path.GetFullPath(path);
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }

    private static bool Exists(string path)
    {
        try
        {
            Posix.Lstat(PathBytes.FromString(path));
            return true;
        }
        catch (PosixException)
        {
            return false;
        }
    }
}
