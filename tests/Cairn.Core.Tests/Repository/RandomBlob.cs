using Cairn.Core.Buffers;
using Cairn.Core.Format;
using Cairn.Core.Repository;

namespace Cairn.Core.Tests.Repository;

/// <summary>Data blobs of random bytes for <see cref="BlobWriter"/> tests.</summary>
internal static class RandomBlob
{
    /// <summary>A pooled buffer (for <see cref="BlobWriter.SaveAsync"/> to take) holding <paramref name="length"/> random bytes, and their ID.</summary>
    public static (BlobId Id, byte[] Buffer) Make(BlobWriter writer, Random random, int length)
    {
        var buffer = BufferPool.Shared.Rent(length);
        random.NextBytes(buffer.AsSpan(0, length));
        return (writer.IdOf(BlobType.Data, buffer.AsSpan(0, length)), buffer);
    }
}
