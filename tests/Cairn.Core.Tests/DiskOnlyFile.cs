using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Tests;

/// <summary>
/// Files written to the disk and dropped from the page cache, as after a reboot. Put them in /var/tmp, which is on
/// a disk on every usual system (/tmp may be a tmpfs, whose pages cannot be dropped).
/// </summary>
internal static partial class DiskOnlyFile
{
    private const int DontNeed = 4;

    public static void Write(string path, byte[] content)
    {
        File.WriteAllBytes(path, content);
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        RandomAccess.FlushToDisk(handle);
        if (Fadvise(handle, 0, 0, DontNeed) != 0)
            throw new IOException($"cannot drop {path} from the page cache");
    }

    [LibraryImport("libc", EntryPoint = "posix_fadvise64")]
    private static partial int Fadvise(SafeFileHandle fd, long offset, long length, int advice);
}
