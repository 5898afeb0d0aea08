using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Tests;

/// <summary>
/// Whether the page cache holds any of a file's pages, asked with <c>mincore</c> over a mapping of the file, which
/// reads nothing. A read with RWF_NOWAIT is no probe for a test: on a fast disk the read-ahead it starts may have
/// brought the page in before it looks, and then it reads the data as if it had been cached.
/// </summary>
internal static unsafe partial class PageCacheResidency
{
    private const int ProtRead = 1, MapShared = 1;

    public static bool HoldsAnyOf(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        var length = RandomAccess.GetLength(handle);
        if (length == 0)
            return false;
        var map = Mmap(0, (nuint)length, ProtRead, MapShared, handle, 0);
        if (map == -1)
            throw new IOException($"cannot map {path}: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            var pages = new byte[(length + Environment.SystemPageSize - 1) / Environment.SystemPageSize];
            fixed (byte* vector = pages)
            {
                if (Mincore(map, (nuint)length, vector) != 0)
                    throw new IOException($"cannot tell which pages of {path} are cached: errno {Marshal.GetLastPInvokeError()}");
            }
            return pages.Any(page => (page & 1) != 0);
        }
        finally
        {
            _ = Munmap(map, (nuint)length);
        }
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, SafeFileHandle fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(nint address, nuint length);

    [LibraryImport("libc", EntryPoint = "mincore", SetLastError = true)]
    private static partial int Mincore(nint address, nuint length, byte* vector);
}
