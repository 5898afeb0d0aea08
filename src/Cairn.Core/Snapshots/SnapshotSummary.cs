using System.Text.Json.Serialization;

namespace Cairn.Core.Snapshots;

/// <summary>Counts and sizes of one backup run, stored in the snapshot's summary section.</summary>
public sealed record SnapshotSummary
{
    /// <summary>Files whose content was read and was new or changed.</summary>
    [JsonPropertyName("files_new")] public long FilesNew { get; init; }
    /// <summary>Files that existed in the parent snapshot and changed.</summary>
    [JsonPropertyName("files_changed")] public long FilesChanged { get; init; }
    /// <summary>Files recognised as unchanged from the parent without reading them.</summary>
    [JsonPropertyName("files_unmodified")] public long FilesUnmodified { get; init; }
    /// <summary>Directories in the snapshot.</summary>
    [JsonPropertyName("dirs")] public long Directories { get; init; }
    /// <summary>Entries of every kind in the snapshot.</summary>
    [JsonPropertyName("total_files")] public long TotalFiles { get; init; }
    /// <summary>Sum of the sizes of the regular files in the snapshot.</summary>
    [JsonPropertyName("total_bytes")] public long TotalBytes { get; init; }
    /// <summary>Bytes of file content read from the source.</summary>
    [JsonPropertyName("bytes_read")] public long BytesRead { get; init; }
    /// <summary>New blobs this run stored.</summary>
    [JsonPropertyName("blobs_added")] public long BlobsAdded { get; init; }
    /// <summary>Plaintext bytes of the new blobs.</summary>
    [JsonPropertyName("data_added")] public long DataAdded { get; init; }
    /// <summary>Bytes the new blobs take in the repository (compressed, sealed).</summary>
    [JsonPropertyName("data_added_stored")] public long DataAddedStored { get; init; }
    /// <summary>Extra reads of files that changed while they were read.</summary>
    [JsonPropertyName("files_reread")] public long FilesReread { get; init; }
    /// <summary>Files that changed every time they were read; the snapshot marks them.</summary>
    [JsonPropertyName("files_changed_during_backup")] public long FilesChangedDuringBackup { get; init; }
    /// <summary>With --rehash: files whose content changed although size, times and inode did not.</summary>
    [JsonPropertyName("files_silently_changed")] public long FilesSilentlyChanged { get; init; }
    /// <summary>Source entries that could not be read and are missing from the snapshot.</summary>
    [JsonPropertyName("errors")] public long Errors { get; init; }
    /// <summary>When the run started.</summary>
    [JsonPropertyName("started")] public DateTimeOffset Started { get; init; }
    /// <summary>When the run finished.</summary>
    [JsonPropertyName("finished")] public DateTimeOffset Finished { get; init; }
}
