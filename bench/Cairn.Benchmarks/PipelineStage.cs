namespace Cairn.Benchmarks;

/// <summary>The stages a byte of a first backup passes through, in order, as <see cref="CorpusCeiling"/> times them.</summary>
internal enum PipelineStage
{
    /// <summary>FastCDC over every byte of every file.</summary>
    Chunk,
    /// <summary>Keyed BLAKE3 of every chunk: its blob ID.</summary>
    HashIds,
    /// <summary>zstd <c>auto</c> over each chunk not seen before (duplicates are never compressed).</summary>
    Compress,
    /// <summary>AES-256-GCM over each new blob as stored (compressed or not).</summary>
    Encrypt,
    /// <summary>BLAKE3 over the stored bytes: the pack's name.</summary>
    HashPacks,
}
