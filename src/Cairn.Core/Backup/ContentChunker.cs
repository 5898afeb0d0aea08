using Cairn.Core.Buffers;
using Cairn.Core.Chunking;
using Cairn.Core.Format;
using Cairn.Core.Repository;

namespace Cairn.Core.Backup;

/// <summary>
/// Cuts a sequence of bytes into chunks and hands each to the saver: the one loop behind files read from disk and
/// streams read from standard input or a command.
/// </summary>
public static class ContentChunker
{
    /// <summary>
    /// Reads through <paramref name="read"/> (which fills the given memory and returns how many bytes it put there, 0
    /// at the end) until the end, and returns the blobs and the number of bytes read. <paramref name="expectedSize"/>
    /// only sizes the buffer.
    /// </summary>
    public static async Task<(List<BlobId> Content, long Length)> ChunkAsync(Func<Memory<byte>, CancellationToken, ValueTask<int>> read, long expectedSize,
        Chunker chunker, IBlobSaver saver, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(chunker);
        ArgumentNullException.ThrowIfNull(saver);
        var content = new List<BlobId>();
        var max = chunker.Parameters.MaxSize;
        var capacity = (int)Math.Clamp(expectedSize + 1, 4096, 2L * max);
        byte[]? buffer = BufferPool.Shared.Rent(capacity);
        try
        {
            long bytesRead = 0;
            int start = 0, filled = 0;
            var eof = false;
            while (true)
            {
                // Keep at least MaxSize bytes ahead of the cut point unless the content ends sooner.
                while (!eof && filled - start < max)
                {
                    if (filled == buffer.Length)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                        filled -= start;
                        start = 0;
                        if (filled == buffer.Length)
                        {
                            var bigger = BufferPool.Shared.Rent(Math.Min(buffer.Length * 2, 2 * max));
                            buffer.AsSpan(0, filled).CopyTo(bigger);
                            BufferPool.Shared.Return(buffer);
                            buffer = bigger;
                        }
                    }
                    var n = await read(buffer.AsMemory(filled, buffer.Length - filled), ct).ConfigureAwait(false);
                    if (n == 0)
                    {
                        eof = true;
                        break;
                    }
                    filled += n;
                    bytesRead += n;
                }
                if (start == filled)
                    break;
                var length = chunker.NextBoundary(buffer.AsSpan(start, filled - start), eof);
                var chunk = buffer.AsSpan(start, length);
                var id = saver.IdOf(BlobType.Data, chunk);
                if (start == 0 && length == filled && eof)
                {
                    // The whole content is one chunk (most files are): the saver takes the read buffer itself.
                    var whole = buffer;
                    buffer = null;
                    await saver.SaveAsync(BlobType.Data, id, whole, length, ct).ConfigureAwait(false);
                    content.Add(id);
                    break;
                }
                var rented = BufferPool.Shared.Rent(length);
                chunk.CopyTo(rented);
                await saver.SaveAsync(BlobType.Data, id, rented, length, ct).ConfigureAwait(false);
                content.Add(id);
                start += length;
            }
            return (content, bytesRead);
        }
        finally
        {
            if (buffer is not null)
                BufferPool.Shared.Return(buffer);
        }
    }
}
