namespace Cairn.Commands.Inspect;

/// <summary>What <c>cairn stats</c> reports about a repository.</summary>
public sealed record RepositoryStats(int Snapshots, int Packs, int Blobs, int DataBlobs, int TreeBlobs,
    long RawBytes, long StoredBytes, long TotalFileBytes, long TotalFiles, double CompressionRatio, long IndexMemoryBytes, double IndexBytesPerBlob);
