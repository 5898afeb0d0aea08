using System.Diagnostics;

namespace Cairn.Tests.Shared;

/// <summary>Unmounting the filesystems tests mount (loop images, tmpfs), so that none outlives its test.</summary>
public static class Mounts
{
    /// <summary>
    /// Unmounts <paramref name="mount"/>, again while it is busy (a FUSE filesystem's daemon, or a process that has just
    /// ended, may hold it for a moment), and at last detaches it lazily, so that neither the mount nor its loop device
    /// outlives the test. True when it was unmounted without that, or was not mounted.
    /// </summary>
    public static async Task<bool> UnmountAsync(string mount)
    {
        for (var attempt = 0; attempt < 50 && IsMounted(mount); attempt++)
        {
            if (await UmountAsync(mount) == 0)
                return true;
            await Task.Delay(100);
        }
        if (!IsMounted(mount))
            return true;
        await UmountAsync("--lazy", mount);
        return false;
    }

    /// <summary>Whether a filesystem is mounted at <paramref name="path"/> (a path without spaces, as the tests' are).</summary>
    private static bool IsMounted(string path)
    {
        var mountPoint = Path.GetFullPath(path).TrimEnd('/');
        return File.ReadLines("/proc/self/mounts").Any(line => line.Split(' ')[1] == mountPoint);
    }

    private static async Task<int> UmountAsync(params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("umount", arguments) { RedirectStandardError = true })!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
