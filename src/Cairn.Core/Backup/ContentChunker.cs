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
    /// The size a chunk's buffer starts at when more bytes are to come than fit in it: twice the default average
    /// chunk, so that most chunks never move; one that grows past it moves into a buffer twice as large.
    /// </summary>
    private const int ChunkCapacity = 2 * 1024 * 1024;

    /// <summary>
    /// How much a read asks for once a chunk's first <see cref="ChunkerParameters.MinSize"/> bytes are in: the bytes
    /// read past the chunk's end are copied into the next chunk's buffer, so a read stays short of a chunk.
    /// </summary>
    private const int ReadLength = 256 * 1024;

    /// <summary>
    /// Reads through <paramref name="read"/> (which fills the given memory and returns how many bytes it put there, 0
    /// at the end) until the end, and returns the blobs and the number of bytes read. Each chunk is read into a buffer
    /// of its own that the saver then takes, so a file is never held whole and its bytes are not copied again.
    /// <paramref name="expectedSize"/> (0 when unknown) only sizes the buffers: content that fits in one is read in one
    /// request that asks for a byte more, so that the read can tell it ends there.
    /// </summary>
    public static async Task<(List<BlobId> Content, long Length)> ChunkAsync(Func<Memory<byte>, CancellationToken, ValueTask<int>> read, long expectedSize,
        Chunker chunker, IBlobSaver saver, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(chunker);
        ArgumentNullException.ThrowIfNull(saver);
        var content = new List<BlobId>();
        var parameters = chunker.Parameters;
        long bytesRead = 0;
        byte[]? chunk = BufferPool.Shared.Rent(Capacity(expectedSize, 0));
        try
        {
            int filled = 0, scanned = 0;
            var eof = false;
            while (true)
            {
                var cut = chunker.FindBoundary(chunk.AsSpan(0, filled), scanned, eof);
                if (cut == 0 && eof)
                    break;
                if (cut == 0)
                {
                    scanned = filled;
                    var room = Math.Min(chunk.Length, parameters.MaxSize) - filled;
                    if (room == 0)
                    {
                        var bigger = BufferPool.Shared.Rent(Math.Min(2 * chunk.Length, parameters.MaxSize));
                        chunk.AsSpan(0, filled).CopyTo(bigger);
                        BufferPool.Shared.Return(chunk);
                        chunk = bigger;
                        room = Math.Min(chunk.Length, parameters.MaxSize) - filled;
                    }
                    // The rest of the expected content and a byte more when it fits, else up to the chunker's minimum
                    // (no cut can come sooner), else a read's worth.
                    var want = expectedSize - bytesRead < room ? room : Math.Min(room, Math.Max(ReadLength, parameters.MinSize - filled));
                    var n = await read(chunk.AsMemory(filled, want), ct).ConfigureAwait(false);
                    eof = n == 0;
                    filled += n;
                    bytesRead += n;
                    continue;
                }
                var id = saver.IdOf(BlobType.Data, chunk.AsSpan(0, cut));
                var tail = filled - cut;
                byte[]? next = null;
                if (!eof || tail > 0)
                {
                    next = BufferPool.Shared.Rent(Capacity(expectedSize - bytesRead, tail));
                    chunk.AsSpan(cut, tail).CopyTo(next);
                }
                // The saver takes the buffer (and returns it to the pool), even when it fails.
                var saving = chunk;
                chunk = next;
                await saver.SaveAsync(BlobType.Data, id, saving, cut, ct).ConfigureAwait(false);
                content.Add(id);
                if (chunk is null)
                    break;
                filled = tail;
                scanned = 0;
            }
            return (content, bytesRead);
        }
        finally
        {
            if (chunk is not null)
                BufferPool.Shared.Return(chunk);
        }
    }

    /// <summary>
    /// The buffer for a chunk that starts with <paramref name="tail"/> bytes already read and
    /// <paramref name="expectedRest"/> more expected: room for all of them and a byte more, up to
    /// <see cref="ChunkCapacity"/>; <see cref="ChunkCapacity"/> once the content has run past what was expected.
    /// </summary>
    private static int Capacity(long expectedRest, int tail) =>
        expectedRest < 0 ? Math.Max(ChunkCapacity, tail)
        : (int)Math.Clamp(tail + expectedRest + 1, 4096, Math.Max(ChunkCapacity, tail + 4096L));
}
