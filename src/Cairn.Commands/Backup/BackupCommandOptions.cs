namespace Cairn.Commands.Backup;

/// <summary>Options of <c>cairn backup</c>.</summary>
public sealed record BackupCommandOptions
{
    /// <summary>What to back up.</summary>
    public required IReadOnlyList<string> Paths { get; init; }
    /// <summary>Exclude patterns.</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];
    /// <summary>Files of exclude patterns.</summary>
    public IReadOnlyList<string> ExcludeFiles { get; init; } = [];
    /// <summary>Skip directories holding a file of one of these names.</summary>
    public IReadOnlyList<string> ExcludeIfPresent { get; init; } = [];
    /// <summary>Skip entries with the nodump flag.</summary>
    public bool ExcludeNodump { get; init; }
    /// <summary>Stay on the filesystems of the given paths.</summary>
    public bool OneFileSystem { get; init; }
    /// <summary>Back up standard input as one file named <see cref="StdinFilename"/> instead of paths.</summary>
    public bool Stdin { get; init; }
    /// <summary>Back up what this shell command writes to its standard output, as one file; a failing command makes no snapshot.</summary>
    public string? StdinFromCommand { get; init; }
    /// <summary>Commands whose output is stored as /NAME beside the paths, in the same snapshot.</summary>
    public IReadOnlyList<CommandSource> CommandSources { get; init; } = [];
    /// <summary>The name of the file a stream is stored as.</summary>
    public string StdinFilename { get; init; } = "stdin";
    /// <summary>Tags for the snapshot.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>How long after its time a policy forget removes the snapshot, whatever keep rules say (holds still win).</summary>
    public Cairn.Core.Retention.RetentionDuration? DestroyAfter { get; init; }
    /// <summary>Host name to record (default: this machine's).</summary>
    public string? Host { get; init; }
    /// <summary>Snapshot time to record (default: now).</summary>
    public DateTimeOffset? Time { get; init; }
    /// <summary>Parent snapshot (default: the latest of the same host and paths).</summary>
    public string? Parent { get; init; }
    /// <summary>Report what would be stored without storing anything.</summary>
    public bool DryRun { get; init; }
    /// <summary>Read every file even when the parent says it is unchanged.</summary>
    public bool Force { get; init; }
    /// <summary>Do not treat a changed ctime as a change (filesystems whose ctime cannot be trusted).</summary>
    public bool IgnoreCtime { get; init; }
    /// <summary>Do not treat a changed inode number as a change (filesystems without stable inode numbers).</summary>
    public bool IgnoreInode { get; init; }
    /// <summary>How often a file that changed while read is read again (default 2).</summary>
    public int? RetryChanged { get; init; }
    /// <summary>Files larger than this are not read again (e.g. "1G").</summary>
    public string? RereadMaxSize { get; init; }
    /// <summary>Files whose read took longer than this are not read again (e.g. "30s").</summary>
    public string? RereadMaxTime { get; init; }
    /// <summary>Read unchanged files too and report content that changed behind unchanged metadata.</summary>
    public bool Rehash { get; init; }
    /// <summary>Per-path change detection from the configuration file (not an argument: the file is read by every run).</summary>
    public IReadOnlyList<Core.Backup.ChangeDetectionRule> ChangeDetectionRules { get; init; } = [];
    /// <summary>Compression (default: the repository's).</summary>
    public string? Compression { get; init; }
    /// <summary>Compare stored blobs byte by byte before deduplicating.</summary>
    public bool VerifyDedup { get; init; }

    /// <summary>The arguments after <c>cairn</c> that do the same.</summary>
    public IEnumerable<string> ToArguments()
    {
        yield return "backup";
        foreach (var e in Excludes)
            yield return CommandLine.Option("--exclude", e);
        foreach (var f in ExcludeFiles)
            yield return CommandLine.Option("--exclude-file", f);
        foreach (var m in ExcludeIfPresent)
            yield return CommandLine.Option("--exclude-if-present", m);
        if (ExcludeNodump)
            yield return "--exclude-nodump";
        if (OneFileSystem)
            yield return "--one-file-system";
        if (Stdin)
            yield return "--stdin";
        if (StdinFromCommand is not null)
            yield return CommandLine.Option("--stdin-from-command", StdinFromCommand);
        if ((Stdin || StdinFromCommand is not null) && StdinFilename != "stdin")
            yield return CommandLine.Option("--stdin-filename", StdinFilename);
        foreach (var source in CommandSources)
            yield return CommandLine.Option("--command-source", source.ToString());
        foreach (var t in Tags)
            yield return CommandLine.Option("--tag", t);
        if (DestroyAfter is { } destroyAfter)
            yield return CommandLine.Option("--destroy-after", destroyAfter.ToString());
        if (Host is not null)
            yield return CommandLine.Option("--host", Host);
        if (Time is { } time)
            yield return CommandLine.Option("--time", time.ToString("yyyy-MM-ddTHH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture));
        if (Parent is not null)
            yield return CommandLine.Option("--parent", Parent);
        if (DryRun)
            yield return "--dry-run";
        if (Force)
            yield return "--force";
        if (IgnoreCtime)
            yield return "--ignore-ctime";
        if (IgnoreInode)
            yield return "--ignore-inode";
        if (Rehash)
            yield return "--rehash";
        if (RetryChanged is { } retry)
            yield return CommandLine.Option("--retry-changed", retry.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (RereadMaxSize is not null)
            yield return CommandLine.Option("--reread-max-size", RereadMaxSize);
        if (RereadMaxTime is not null)
            yield return CommandLine.Option("--reread-max-time", RereadMaxTime);
        if (Compression is not null)
            yield return CommandLine.Option("--compression", Compression);
        if (VerifyDedup)
            yield return "--verify-dedup";
        foreach (var p in Paths)
            yield return p;
    }
}
