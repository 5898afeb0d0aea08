using Cairn.Core.Format;

namespace Cairn.Core.Repository;

/// <summary>Write access to blobs: what the archiver needs, and nothing more.</summary>
public interface IBlobSaver
{
    /// <summary>The blob ID of a plaintext under the repository's chunk-ID key.</summary>
    BlobId IdOf(BlobType type, ReadOnlySpan<byte> plaintext);

    /// <summary>
    /// Stores a blob unless the repository or this session already has it. Takes ownership of
    /// <paramref name="rented"/>, which must come from <see cref="Buffers.BufferPool.Shared"/>, and returns
    /// it to the pool. Returns true when the blob was new.
    /// </summary>
    ValueTask<bool> SaveAsync(BlobType type, BlobId id, byte[] rented, int length, CancellationToken ct = default);

    /// <summary>True when the blob is stored or about to be.</summary>
    bool Has(BlobId id);
}
