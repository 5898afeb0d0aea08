namespace Cairn.Core.Export;

/// <summary>What the header of an exported volume says.</summary>
public sealed record ExportHeaderInfo
{
    /// <summary>Which volume, from 1.</summary>
    public required int Volume { get; init; }
    /// <summary>How many volumes, when known (1 without a volume size).</summary>
    public int? Volumes { get; init; }
    /// <summary>The archive format.</summary>
    public required ExportFormat Format { get; init; }
    /// <summary>"zstd", "gzip" or null.</summary>
    public string? Compression { get; init; }
    /// <summary>The filter command the archive went through, if any.</summary>
    public string? Filter { get; init; }
    /// <summary>The command that undoes the filter.</summary>
    public string? FilterRestore { get; init; }
    /// <summary>The archive's record size.</summary>
    public required int BlockSize { get; init; }
    /// <summary>The snapshot's full ID.</summary>
    public required string SnapshotId { get; init; }
    /// <summary>The host it was taken on.</summary>
    public required string Host { get; init; }
    /// <summary>When it was taken.</summary>
    public required DateTimeOffset SnapshotTime { get; init; }
    /// <summary>The paths it holds.</summary>
    public required IReadOnlyList<string> SnapshotPaths { get; init; }
    /// <summary>Its tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>The path inside the snapshot that was exported ("/" for all of it).</summary>
    public required string ExportedPath { get; init; }
    /// <summary>When the export was written.</summary>
    public required DateTimeOffset Written { get; init; }
    /// <summary>The version of cairn that wrote it.</summary>
    public required string CairnVersion { get; init; }
}
