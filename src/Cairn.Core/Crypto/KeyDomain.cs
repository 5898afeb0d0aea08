namespace Cairn.Core.Crypto;

/// <summary>
/// The separate keys derived from a repository's master secret. Each role a future client can hold
/// (write-only, reporting, summary) is a subset of these domains.
/// </summary>
public enum KeyDomain : byte
{
    /// <summary>Keys the hash that names blobs (so the store cannot confirm a guessed file).</summary>
    ChunkId = 1,
    /// <summary>Seeds the chunker's gear table (so chunk boundaries reveal nothing about contents).</summary>
    Chunker = 2,
    /// <summary>Encrypts file contents (data blobs).</summary>
    Data = 3,
    /// <summary>Encrypts trees, pack headers, index files, config, locks and snapshot details.</summary>
    Metadata = 4,
    /// <summary>Encrypts snapshot summaries: host, time, tags, sizes and counts, but no paths or names.</summary>
    SnapshotSummary = 5,
    /// <summary>Keys the hash that names tree blobs, so that data and tree IDs never coincide.</summary>
    TreeId = 6,
}
