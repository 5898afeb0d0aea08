using Cairn.Commands.Backup;

namespace Cairn.Commands.Configuration;

/// <summary>
/// A named backup job of the configuration file (<c>[job.NAME]</c>): what to back up into which repository, the
/// retention that follows, an optional check, a schedule, and the hooks around it all.
/// </summary>
public sealed record JobDefinition
{
    /// <summary>The job's name (<c>cairn run NAME</c>).</summary>
    public required string Name { get; init; }
    /// <summary>The <c>[repository.NAME]</c> it backs up into.</summary>
    public required string Repository { get; init; }
    /// <summary>Paths to back up.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];
    /// <summary>Commands whose output is stored as files beside the paths.</summary>
    public IReadOnlyList<CommandSource> CommandSources { get; init; } = [];
    /// <summary>Exclude patterns.</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];
    /// <summary>Files of exclude patterns.</summary>
    public IReadOnlyList<string> ExcludeFiles { get; init; } = [];
    /// <summary>Skip directories holding a file of one of these names.</summary>
    public IReadOnlyList<string> ExcludeIfPresent { get; init; } = [];
    /// <summary>Stay on the filesystems of the paths.</summary>
    public bool OneFileSystem { get; init; }
    /// <summary>Skip entries with the nodump flag.</summary>
    public bool ExcludeNodump { get; init; }
    /// <summary>Tags besides <c>job:NAME</c>, which every snapshot of the job gets.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>Host name to record.</summary>
    public string? Host { get; init; }
    /// <summary>Compression.</summary>
    public string? Compression { get; init; }
    /// <summary>Change detection for this job's backups (besides the file's [[change-detection]] rules): <c>backup --ignore-ctime</c>.</summary>
    public bool IgnoreCtime { get; init; }
    /// <summary><c>backup --ignore-inode</c>.</summary>
    public bool IgnoreInode { get; init; }
    /// <summary><c>backup --rehash</c>.</summary>
    public bool Rehash { get; init; }
    /// <summary>Retention after each backup: <c>forget</c>'s <c>--keep-*</c> options and values, in the file's order.</summary>
    public IReadOnlyList<(string Option, string Value)> Keep { get; init; } = [];
    /// <summary>Apply the repository's stored policies after each backup (<c>forget --apply-policy</c>).</summary>
    public bool ApplyPolicy { get; init; }
    /// <summary>Prune after forgetting.</summary>
    public bool Prune { get; init; }
    /// <summary>Check after the backup, reading this share of the data (e.g. "5%"), or null for no check.</summary>
    public string? CheckReadDataSubset { get; init; }
    /// <summary>When <c>cairn daemon</c> runs it: a cron expression, or null for never.</summary>
    public JobSchedule? Schedule { get; init; }
    /// <summary>Commands run before the backup; one that fails aborts the job.</summary>
    public IReadOnlyList<string> Before { get; init; } = [];
    /// <summary>Commands run after a successful job.</summary>
    public IReadOnlyList<string> After { get; init; } = [];
    /// <summary>Commands run after a failed job.</summary>
    public IReadOnlyList<string> OnFailure { get; init; } = [];

    /// <summary>The tag that marks the job's snapshots, and scopes its retention.</summary>
    public string JobTag => "job:" + Name;
}
