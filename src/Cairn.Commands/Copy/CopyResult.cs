namespace Cairn.Commands.Copy;

/// <summary>What <c>cairn copy</c> did.</summary>
/// <param name="Copied">Each snapshot copied: its ID in the source and in the target.</param>
/// <param name="AlreadyCopied">Snapshots skipped because the target holds a copy of them already.</param>
/// <param name="BlobsRead">Data blobs read from the source.</param>
/// <param name="BlobsAdded">Blobs (data and trees) written to the target; the rest it held already.</param>
/// <param name="BytesAdded">Plaintext bytes of those blobs.</param>
/// <param name="SameIds">True when the repositories share chunker and ID keys (<c>init --copy-chunker-params</c>).</param>
public sealed record CopyResult(IReadOnlyList<CopiedSnapshot> Copied, int AlreadyCopied, long BlobsRead, long BlobsAdded, long BytesAdded, bool SameIds);
