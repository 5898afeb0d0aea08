using System.Runtime.InteropServices;
using Cairn.Storage;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Platform;

/// <summary>A file's data: reading and writing it at offsets, finding its holes, and how it stands in the page cache.</summary>
public static unsafe partial class Posix
{
    private const int RwfNoWait = 8;

    /// <summary>
    /// Reads from an open file at <paramref name="offset"/> on the calling thread (one <c>pread</c>; no seekability
    /// probe and no hand-off to another thread as <see cref="RandomAccess"/> makes); returns the bytes read, 0 at the end.
    /// </summary>
    public static int Pread(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        ArgumentNullException.ThrowIfNull(handle);
        while (true)
        {
            nint n;
            fixed (byte* b = buffer)
                n = PRead(handle, b, (nuint)buffer.Length, offset);
            if (n >= 0)
                return (int)n;
            var errno = Marshal.GetLastPInvokeError();
            if (errno != PosixException.EINTR)
                throw new PosixException(errno, "read", "(open file)");
        }
    }

    /// <summary>Writes all of <paramref name="buffer"/> to an open file at <paramref name="offset"/> (<c>pwrite</c> until done, no seekability probe).</summary>
    public static void Pwrite(SafeFileHandle handle, ReadOnlySpan<byte> buffer, long offset)
    {
        ArgumentNullException.ThrowIfNull(handle);
        while (!buffer.IsEmpty)
        {
            nint n;
            fixed (byte* b = buffer)
                n = PWrite(handle, b, (nuint)buffer.Length, offset);
            if (n == 0)
                throw new PosixException(PosixException.EIO, "write", "(open file)"); // nothing written: never for a regular file
            if (n < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == PosixException.EINTR)
                    continue;
                throw new PosixException(errno, "write", "(open file)");
            }
            buffer = buffer[(int)n..];
            offset += n;
        }
    }

    /// <summary>
    /// Asks the kernel to start reading the first <paramref name="length"/> bytes of a regular file into the page
    /// cache and returns at once (<see cref="PageCache.StartReading"/>, posix_fadvise POSIX_FADV_WILLNEED). Best
    /// effort: it opens the name as <see cref="OpenRead"/> does (no symlink followed, no wait for a FIFO's writer, the
    /// access time kept) and advises nothing unless what it opened is a regular file; one that cannot be opened is
    /// left alone. No time or other metadata of the file changes.
    /// </summary>
    public static void AdviseWillNeed(ReadOnlySpan<byte> path, long length)
    {
        var fd = OpenReadDescriptor(path);
        if (fd < 0)
            return;
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (Fstat(handle).Kind == FileKind.File)
                PageCache.StartReading(handle, 0, length);
        }
        catch (PosixException)
        {
            // no status, no advice
        }
    }

    private static bool s_withoutPreadV2;

    /// <summary>What <see cref="PreadIfCached"/> returns when the data is not in the page cache.</summary>
    public const int NotInPageCache = -1;

    /// <summary>What <see cref="PreadIfCached"/> returns where the kernel or the filesystem cannot read from the page cache alone.</summary>
    public const int PageCacheUnknown = -2;

    /// <summary>
    /// Reads as <see cref="Pread"/> does, but only what the page cache holds (preadv2 with RWF_NOWAIT): returns the
    /// bytes read (fewer than asked for when the cache holds only the first of them; 0 at the end),
    /// <see cref="NotInPageCache"/> when the first byte would have to come from the disk, or
    /// <see cref="PageCacheUnknown"/> on any failure, where a <see cref="Pread"/> tells what it was. Linux 4.14 and
    /// later read so from local filesystems such as ext4, XFS and btrfs; NFS and FUSE cannot.
    /// </summary>
    public static int PreadIfCached(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        ArgumentNullException.ThrowIfNull(handle);
        while (!s_withoutPreadV2)
        {
            nint n;
            try
            {
                fixed (byte* b = buffer)
                {
                    var vector = new IoVector { Base = b, Length = (nuint)buffer.Length };
                    n = PReadV2(handle, &vector, 1, offset, RwfNoWait);
                }
            }
            catch (EntryPointNotFoundException)
            {
                s_withoutPreadV2 = true; // a C library before glibc 2.26
                break;
            }
            if (n >= 0)
                return (int)n;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == PosixException.EAGAIN)
                return NotInPageCache;
            if (errno != PosixException.EINTR)
                return PageCacheUnknown;
        }
        return PageCacheUnknown;
    }

    /// <summary>
    /// The data extents of an open file (SEEK_DATA/SEEK_HOLE), in order, up to <paramref name="size"/>: what is
    /// not in them is a hole. A filesystem without hole reporting gives one extent over the whole file.
    /// </summary>
    public static List<FileExtent> DataExtents(SafeFileHandle handle, long size)
    {
        ArgumentNullException.ThrowIfNull(handle);
        const int SeekData = 3, SeekHole = 4, ENXIO = 6;
        var extents = new List<FileExtent>();
        long position = 0;
        while (position < size)
        {
            var data = LSeek(handle, position, SeekData);
            if (data < 0)
            {
                if (Marshal.GetLastPInvokeError() == ENXIO)
                    break; // only a hole from here to the end
                throw new PosixException(Marshal.GetLastPInvokeError(), "lseek", "(open file)");
            }
            if (data >= size)
                break;
            var hole = LSeek(handle, data, SeekHole);
            if (hole < 0)
                throw new PosixException(Marshal.GetLastPInvokeError(), "lseek", "(open file)");
            hole = Math.Min(hole, size);
            extents.Add(new FileExtent(data, hole - data));
            position = hole;
        }
        return extents;
    }

    [LibraryImport("libc", EntryPoint = "preadv64v2", SetLastError = true)]
    private static partial nint PReadV2(SafeFileHandle fd, IoVector* vectors, int count, long offset, int flags);

    [LibraryImport("libc", EntryPoint = "pread64", SetLastError = true)]
    private static partial nint PRead(SafeFileHandle fd, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "pwrite64", SetLastError = true)]
    private static partial nint PWrite(SafeFileHandle fd, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long LSeek(SafeFileHandle fd, long offset, int whence);
}
