namespace Cairn.Core.Repository;

/// <summary>What a <see cref="BlobWriter"/> added to the repository.</summary>
/// <param name="BlobsAdded">New blobs stored.</param>
/// <param name="BytesAdded">Their plaintext size.</param>
/// <param name="BytesStored">Their stored size (compressed and sealed).</param>
/// <param name="PacksWritten">Pack files written.</param>
public readonly record struct BlobWriterStatistics(long BlobsAdded, long BytesAdded, long BytesStored, long PacksWritten);
