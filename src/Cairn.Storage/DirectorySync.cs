using System.Runtime.InteropServices;

namespace Cairn.Storage;

/// <summary>Makes a rename durable by flushing the directory that holds it (POSIX needs an fsync of the directory).</summary>
internal static partial class DirectorySync
{
    // Read-only, without O_DIRECTORY: its value differs between platforms (0x10000 on x86-64 Linux is O_DIRECT on
    // Arm64 Linux), and a directory opens read-only everywhere.
    private const int ReadOnly = 0;

    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
            return;
        var fd = Open(directory, ReadOnly);
        if (fd < 0)
            return; // the data file itself is durable; losing the directory flush only widens the crash window
        try
        {
            _ = Fsync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
