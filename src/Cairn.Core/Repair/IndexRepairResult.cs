namespace Cairn.Core.Repair;

/// <summary>What <c>repair index</c> did.</summary>
/// <param name="Packs">Packs indexed.</param>
/// <param name="Blobs">Blob entries in the new index.</param>
/// <param name="DamagedPacks">Packs whose header could not be read, with the reason; the old index's entries for them are kept where it had any.</param>
/// <param name="IndexFilesWritten">Index files written.</param>
/// <param name="IndexFilesRemoved">Old index files removed.</param>
public sealed record IndexRepairResult(int Packs, long Blobs, IReadOnlyList<DamagedObject> DamagedPacks, int IndexFilesWritten, int IndexFilesRemoved);
