using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Storage;

/// <summary>Tells the kernel that a file just written and flushed will not be read again soon.</summary>
internal static partial class PageCache
{
    private const int FadviseDontNeed = 4; // POSIX_FADV_DONTNEED on Linux
    private static volatile bool s_unavailable;

    /// <summary>
    /// Drops the pages of <paramref name="handle"/>'s file from the page cache. They must be clean (flushed to the
    /// disk): the kernel keeps dirty ones. Only advice: nothing happens where the system cannot take it.
    /// </summary>
    public static void Drop(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux() || s_unavailable)
            return;
        try
        {
            _ = Fadvise(handle, 0, 0, FadviseDontNeed);
        }
        catch (EntryPointNotFoundException)
        {
            s_unavailable = true; // a C library without posix_fadvise64 (musl 1.2.4 and later name it posix_fadvise only)
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_fadvise64")]
    private static partial int Fadvise(SafeFileHandle fd, long offset, long length, int advice);
}
