using Cairn.Core.Buffers;
using Cairn.Core.Chunking;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Repository;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Backup;

/// <summary>Reads one file for the archiver: finds its data extents, cuts what it reads into chunks and hands them to the saver.</summary>
internal sealed class FileContentReader(IBlobSaver saver, Chunker chunker, ArchiveCounters counters, BackupProgress progress, EntryMetadataReader metadata)
{
    /// <summary>
    /// Reads a file whose status was <paramref name="status"/>: only its data extents when it has holes, every
    /// byte otherwise; the extents in the result are cut to what was read, should the file have shrunk.
    /// </summary>
    public async Task<FileRead> ReadAsync(byte[] path, FileStatus status, CancellationToken ct)
    {
        using var handle = Posix.OpenRead(path);
        List<FileExtent>? extents = null;
        // Fewer allocated blocks than the size needs hints at holes: then only the data extents are read.
        if (status.Blocks * 512 < status.Size)
        {
            var found = Posix.DataExtents(handle, status.Size);
            if (found.Count != 1 || found[0].Offset != 0 || found[0].Length != status.Size)
                extents = found;
        }
        var (content, length) = await ChunkFileAsync(handle, status.Size, extents, ct).ConfigureAwait(false);
        return new FileRead(content, length, extents is null ? null : TrimExtents(extents, length), Posix.Fstat(handle), metadata.ReadFlags(handle, path));
    }

    private static List<FileExtent> TrimExtents(List<FileExtent> extents, long dataBytes)
    {
        var trimmed = new List<FileExtent>(extents.Count);
        foreach (var e in extents)
        {
            if (dataBytes <= 0)
                break;
            trimmed.Add(e with { Length = Math.Min(e.Length, dataBytes) });
            dataBytes -= trimmed[^1].Length;
        }
        return trimmed;
    }

    /// <summary>
    /// Reads a file sequentially, or only its data <paramref name="extents"/> one after another, cutting what is
    /// read into chunks and handing each to the saver. Returns the blobs and the number of bytes read.
    /// </summary>
    private async Task<(List<BlobId> Content, long Length)> ChunkFileAsync(SafeFileHandle handle, long expectedSize, List<FileExtent>? extents, CancellationToken ct)
    {
        var ranges = extents ?? [new FileExtent(0, long.MaxValue)];
        var range = 0;
        long inRange = 0;
        if (extents is not null)
            expectedSize = extents.Sum(e => e.Length);
        var content = new List<BlobId>();
        var max = chunker.Parameters.MaxSize;
        var capacity = (int)Math.Clamp(expectedSize + 1, 4096, 2L * max);
        var buffer = BufferPool.Shared.Rent(capacity);
        try
        {
            long bytesRead = 0;
            int start = 0, filled = 0;
            var eof = false;
            while (true)
            {
                // Keep at least MaxSize bytes ahead of the cut point unless the file ends sooner.
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
                    if (range == ranges.Count)
                    {
                        eof = true;
                        break;
                    }
                    var want = (int)Math.Min(buffer.Length - filled, ranges[range].Length - inRange);
                    var n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(filled, want), ranges[range].Offset + inRange, ct).ConfigureAwait(false);
                    if (n == 0)
                    {
                        eof = true;
                        break;
                    }
                    filled += n;
                    bytesRead += n;
                    inRange += n;
                    if (inRange == ranges[range].Length)
                    {
                        range++;
                        inRange = 0;
                    }
                    counters.Add(ref counters.BytesRead, n);
                    progress.BytesRead(n);
                }
                if (start == filled)
                    break;
                var length = chunker.NextBoundary(buffer.AsSpan(start, filled - start), eof);
                var chunk = buffer.AsSpan(start, length);
                var id = saver.IdOf(BlobType.Data, chunk);
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
            BufferPool.Shared.Return(buffer);
        }
    }
}
