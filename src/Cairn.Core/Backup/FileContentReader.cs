using Cairn.Core.Chunking;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Repository;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Backup;

/// <summary>Reads one file for the archiver: finds its data extents, cuts what it reads into chunks and hands them to the saver.</summary>
internal sealed class FileContentReader(IBlobSaver saver, Chunker chunker, ArchiveCounters counters, BackupProgress progress, EntryMetadataReader metadata,
    ReadAhead readAhead)
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
        return new FileRead(content, length, extents is null ? null : TrimExtents(extents, length), Posix.Fstat(handle), metadata.ReadFlags(handle, path),
            metadata.ReadXattrs(handle, path));
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
    private Task<(List<BlobId> Content, long Length)> ChunkFileAsync(SafeFileHandle handle, long size, List<FileExtent>? extents, CancellationToken ct)
    {
        // The first read asks the page cache alone: a file whose data is not there tells the walker to read ahead.
        var probed = false;
        int ReadAt(SafeFileHandle file, Span<byte> into, long offset)
        {
            if (!probed)
            {
                probed = true;
                var cached = Posix.PreadIfCached(file, into, offset);
                if (cached >= 0)
                    return cached;
                if (cached == Posix.NotInPageCache)
                    readAhead.NoteUncachedRead(size);
            }
            return Posix.Pread(file, into, offset);
        }
        var reader = new FileRangeReader(handle, size, extents, ReadAt);
        // Reads on the calling thread: a file in the page cache is read faster than a hand-off to another thread
        // takes, and a read that waits for the disk blocks a pool thread either way.
        ValueTask<int> ReadAsync(Memory<byte> into, CancellationToken token)
        {
            token.ThrowIfCancellationRequested();
            var n = reader.Read(into.Span);
            counters.Add(ref counters.BytesRead, n);
            progress.BytesRead(n);
            return ValueTask.FromResult(n);
        }
        return ContentChunker.ChunkAsync(ReadAsync, reader.ExpectedSize, chunker, saver, ct);
    }
}
