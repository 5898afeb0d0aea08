using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Platform;

/// <summary>File flags (<c>chattr</c>): reading and setting them on paths and open files.</summary>
public static unsafe partial class Posix
{
    /// <summary>
    /// The <see cref="UserFlags"/> (<c>chattr</c>: immutable, append-only, nodump…) of a regular file or
    /// directory; 0 where the filesystem has none. Opens the entry without following symlinks and without blocking on FIFOs.
    /// </summary>
    public static uint GetFlags(ReadOnlySpan<byte> path)
    {
        int fd;
        using (var p = new NativePath(path))
            fd = Open(p.Pointer, ORdOnly | ONoFollow | OCloExec | ONonBlock | ONoCtty | ONoAtime, 0);
        if (fd < 0 && Marshal.GetLastPInvokeError() == PosixException.EPERM)
        {
            using var p = new NativePath(path);
            fd = Open(p.Pointer, ORdOnly | ONoFollow | OCloExec | ONonBlock | ONoCtty, 0);
        }
        if (fd < 0)
            throw Error("open", path);
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        return GetFlags(handle, path);
    }

    /// <summary>The <see cref="UserFlags"/> of an open file or directory; 0 where the filesystem has none.</summary>
    public static uint GetFlags(SafeFileHandle handle, ReadOnlySpan<byte> pathForMessages)
    {
        ArgumentNullException.ThrowIfNull(handle);
        int flags = 0;
        if (Ioctl(handle, FlagsRequests.Get, &flags) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is PosixException.ENOTTY or PosixException.EOPNOTSUPP or PosixException.EINVAL) // no flags on this filesystem
                return 0;
            throw new PosixException(errno, "ioctl FS_IOC_GETFLAGS", Display(pathForMessages));
        }
        return (uint)flags & UserFlags;
    }

    /// <summary>
    /// The flags users set with <c>chattr</c> and that mean something on another filesystem: secure deletion,
    /// undeletable, compress, sync, immutable, append-only, nodump, noatime, notail, dirsync, topdir, nocow.
    /// Flags the filesystem keeps for itself (extents, inline data…) are left out.
    /// </summary>
    public const uint UserFlags = 0x000380FF | 0x00800000;

    /// <summary>
    /// The flags that decide how a file's data is written, compress (<c>chattr +c</c>) and nocow (<c>+C</c>): they
    /// must be set while the file is still empty (btrfs ignores nocow on a file with data, and compresses only
    /// what is written after +c).
    /// </summary>
    public const uint DataLayoutFlags = 0x4 | 0x00800000;

    /// <summary>The nodump flag (<c>chattr +d</c>).</summary>
    public const uint NoDumpFlag = 0x40;

    /// <summary>
    /// Sets the <see cref="UserFlags"/> of an open file or directory to <paramref name="flags"/>, keeping the flags
    /// the filesystem keeps for itself.
    /// </summary>
    public static void SetFlags(SafeFileHandle handle, uint flags, ReadOnlySpan<byte> pathForMessages)
    {
        ArgumentNullException.ThrowIfNull(handle);
        int current = 0;
        if (Ioctl(handle, FlagsRequests.Get, &current) != 0)
            throw Error("ioctl FS_IOC_GETFLAGS", pathForMessages);
        var value = (int)(((uint)current & ~UserFlags) | (flags & UserFlags));
        if (value != current && Ioctl(handle, FlagsRequests.Set, &value) != 0)
            throw Error("ioctl FS_IOC_SETFLAGS", pathForMessages);
    }
}
