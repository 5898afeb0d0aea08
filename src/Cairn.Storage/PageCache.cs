using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Storage;

/// <summary>
/// Advice to the kernel about a file's pages in the page cache (posix_fadvise): that a range will be read soon, or
/// that it will not be read again soon. Only advice: nothing happens where the system cannot take it.
/// </summary>
public static partial class PageCache
{
    private const int FadviseWillNeed = 3, FadviseDontNeed = 4; // POSIX_FADV_* on Linux
    private static volatile bool s_unavailable;

    /// <summary>Has the kernel start reading <paramref name="length"/> bytes from <paramref name="offset"/> into the page cache, and returns at once.</summary>
    public static void StartReading(SafeFileHandle handle, long offset, long length) => Advise(handle, offset, length, FadviseWillNeed);

    /// <summary>
    /// Drops the pages of <paramref name="length"/> bytes from <paramref name="offset"/> (0: to the end) from the page
    /// cache. They must be clean (flushed to the disk, or only read): the kernel keeps dirty ones.
    /// </summary>
    public static void Drop(SafeFileHandle handle, long offset = 0, long length = 0) => Advise(handle, offset, length, FadviseDontNeed);

    private static void Advise(SafeFileHandle handle, long offset, long length, int advice)
    {
        if (!OperatingSystem.IsLinux() || s_unavailable)
            return;
        try
        {
            _ = Fadvise(handle, offset, length, advice);
        }
        catch (EntryPointNotFoundException)
        {
            s_unavailable = true; // a C library without posix_fadvise64
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_fadvise64")]
    private static partial int Fadvise(SafeFileHandle fd, long offset, long length, int advice);
}
