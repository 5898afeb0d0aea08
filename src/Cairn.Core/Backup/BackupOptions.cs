using Cairn.Core.Compression;

namespace Cairn.Core.Backup;

/// <summary>How the archiver reads the source.</summary>
public sealed record BackupOptions
{
    /// <summary>Exclude patterns.</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];
    /// <summary>Marker file names: a directory that holds one is skipped.</summary>
    public IReadOnlyList<string> ExcludeIfPresent { get; init; } = [];
    /// <summary>Skip files and directories with the nodump flag (<c>chattr +d</c>).</summary>
    public bool ExcludeNodump { get; init; }
    /// <summary>Do not cross filesystem boundaries below the given paths.</summary>
    public bool OneFileSystem { get; init; }
    /// <summary>Read every file, even when the parent says it is unchanged.</summary>
    public bool Force { get; init; }
    /// <summary>A changed ctime alone does not make a file changed.</summary>
    public bool IgnoreCtime { get; init; }
    /// <summary>A changed inode number alone does not make a file changed.</summary>
    public bool IgnoreInode { get; init; }
    /// <summary>How often a file that changed while it was read is read again.</summary>
    public int RetryChanged { get; init; } = 2;
    /// <summary>Files larger than this are not read again when they changed while read.</summary>
    public long RereadMaxSize { get; init; } = 1L << 30;
    /// <summary>A file whose read took longer than this is not read again.</summary>
    public TimeSpan RereadMaxTime { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Read files even when their metadata is unchanged, and report those whose content changed anyway.</summary>
    public bool Rehash { get; init; }
    /// <summary>Per-path change detection from the configuration file, below the three switches above.</summary>
    public IReadOnlyList<ChangeDetectionRule> ChangeDetectionRules { get; init; } = [];
    /// <summary>How to compress new blobs.</summary>
    public CompressionSetting Compression { get; init; } = CompressionSetting.AutoDefault;
    /// <summary>Compare stored blobs byte by byte before deduplicating against them.</summary>
    public bool VerifyDedup { get; init; }
    /// <summary>Files read at once.</summary>
    public int FileConcurrency { get; init; } = Math.Max(2, Environment.ProcessorCount * 2);
    /// <summary>
    /// Files larger than half the maximum chunk size read at once. One sequential reader keeps up with compression
    /// on every core while small files are read in parallel.
    /// </summary>
    public int LargeFileConcurrency { get; init; } = 1;
    /// <summary>Directories walked at once (listing and status of their entries).</summary>
    public int DirectoryConcurrency { get; init; } = Math.Max(4, Environment.ProcessorCount * 4);
    /// <summary>Compression and encryption workers.</summary>
    public int BlobWorkers { get; init; } = Math.Max(1, Environment.ProcessorCount);
}
