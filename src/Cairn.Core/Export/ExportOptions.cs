namespace Cairn.Core.Export;

/// <summary>How <see cref="SnapshotExporter"/> writes a snapshot out.</summary>
public sealed record ExportOptions
{
    /// <summary>The archive format.</summary>
    public ExportFormat Format { get; init; } = ExportFormat.Pax;

    /// <summary>The most bytes of archive per volume (before compression), or null for one archive.</summary>
    public long? VolumeLimit { get; init; }

    /// <summary>A tar archive's length is a multiple of this (GNU tar's record, 20 blocks of 512 bytes, by default).</summary>
    public int RecordSize { get; init; } = 10240;

    /// <summary>How many blobs may be loaded ahead of the writer.</summary>
    public int BlobsAhead { get; init; } = 16;
}
