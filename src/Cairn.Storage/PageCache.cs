using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Storage;

/// <summary>Tells the kernel that a file just written and flushed, or a range just read, will not be read again soon.</summary>
internal static partial class PageCache
{
    private const int FadviseDontNeed = 4; // POSIX_FADV_DONTNEED on Linux
    private static volatile bool s_unavailable;

    /// <summary>
    /// Drops the pages of <paramref name="handle"/>'s file from the page cache. They must be clean (flushed to the
    /// disk): the kernel keeps dirty ones. Only advice: nothing happens where the system cannot take it.
    /// </summary>
    public static void Drop(SafeFileHandle handle) => Drop(handle, 0, 0);

    /// <summary>Drops the pages of <paramref name="length"/> bytes from <paramref name="offset"/> (0: to the end) as <see cref="Drop(SafeFileHandle)"/> does.</summary>
    public static void Drop(SafeFileHandle handle, long offset, long length)
    {
        if (!OperatingSystem.IsLinux() || s_unavailable)
            return;
        try
        {
            _ = Fadvise(handle, offset, length, FadviseDontNeed);
        }
        catch (EntryPointNotFoundException)
        {
            s_unavailable = true; // a C library without posix_fadvise64 (musl 1.2.4 and later name it posix_fadvise only)
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_fadvise64")]
    private static partial int Fadvise(SafeFileHandle fd, long offset, long length, int advice);
}
