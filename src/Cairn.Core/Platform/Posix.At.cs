using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Platform;

/// <summary>
/// System calls on an entry named relative to an open directory (the <c>*at</c> family, and <c>openat2</c>), or held
/// by a handle that only names it (O_PATH), for <see cref="ConfinedDirectory"/>. A name here is one path component
/// or a relative path; messages name <c>display</c>, the entry's full path.
/// </summary>
public static unsafe partial class Posix
{
    private const int OPath = 0x200000;
    private const int SysOpenat2 = 437; // the same number on every architecture (added after the tables were unified)
    private const ulong ResolveNoMagicLinks = 0x02, ResolveNoSymlinks = 0x04, ResolveBeneath = 0x08;
    private static readonly int ODirectory = DirectoryFlag(RuntimeInformation.ProcessArchitecture);

    /// <summary>O_DIRECTORY: 0x10000 in the generic table, 0x4000 on Arm, Arm64 and PowerPC.</summary>
    internal static int DirectoryFlag(Architecture architecture) =>
        architecture is Architecture.Arm or Architecture.Arm64 or Architecture.Armv6 or Architecture.Ppc64le ? 0x4000 : 0x10000;

    /// <summary>The open flags of <see cref="OpenAt"/>'s uses.</summary>
    internal enum OpenPurpose
    {
        /// <summary>A directory, as a handle for the <c>*at</c> calls only (O_PATH).</summary>
        DirectoryPath,
        /// <summary>A directory, for its metadata (owner, mode, times, attributes, flags) through the handle.</summary>
        Directory,
        /// <summary>Any entry, a symlink itself included, as a handle that names it (O_PATH), for its metadata.</summary>
        Entry,
        /// <summary>A new regular file for writing (O_CREAT | O_EXCL).</summary>
        CreateNew,
        /// <summary>An existing regular file for writing at offsets.</summary>
        Write,
        /// <summary>Reading, without updating the access time where allowed.</summary>
        Read,
        /// <summary>Reading its chattr flags (a file or a directory; never blocks on a FIFO).</summary>
        Flags,
    }

    /// <summary>
    /// Opens <paramref name="relative"/> below <paramref name="directory"/> without following any symlink on the way
    /// or at the end (<c>openat2</c> with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS: a symlink in the path fails with
    /// ELOOP, a way out of the directory with EXDEV); with <paramref name="beneath"/> false (a kernel before 5.6,
    /// or a sandbox that refuses <c>openat2</c>), one component at a time with <c>openat</c> and O_NOFOLLOW, which
    /// refuses symlinks as well (names holding '..' never get here).
    /// </summary>
    internal static SafeFileHandle OpenAt(SafeFileHandle directory, ReadOnlySpan<byte> relative, OpenPurpose purpose, uint mode, bool beneath, ReadOnlySpan<byte> display)
    {
        var flags = OCloExec | ONoFollow | purpose switch
        {
            OpenPurpose.DirectoryPath => OPath | ODirectory,
            OpenPurpose.Directory => ORdOnly | ODirectory,
            OpenPurpose.Entry => OPath,
            OpenPurpose.CreateNew => OWrOnly | OCreat | OExcl,
            // A FIFO put in a file's place fails its write instead of blocking; a terminal never becomes the process's own.
            OpenPurpose.Write => OWrOnly | ONonBlock | ONoCtty,
            OpenPurpose.Read => ORdOnly | ONonBlock | ONoAtime | ONoCtty,
            _ => ORdOnly | ONonBlock | ONoCtty,
        };
        var fd = OpenAtOnce(directory, relative, flags, mode, beneath);
        if (fd < 0 && purpose == OpenPurpose.Read && Marshal.GetLastPInvokeError() == PosixException.EPERM)
            fd = OpenAtOnce(directory, relative, flags & ~ONoAtime, mode, beneath); // O_NOATIME is for the owner (or root) only
        if (fd < 0)
            throw Error(purpose == OpenPurpose.CreateNew ? "create" : "open", display);
        return new SafeFileHandle((nint)fd, ownsHandle: true);
    }

    /// <summary>Opens a directory (following symlinks) as a handle for the <c>*at</c> calls (O_PATH).</summary>
    internal static SafeFileHandle OpenDirectoryPath(ReadOnlySpan<byte> path)
    {
        int fd;
        using (var p = new NativePath(path))
            fd = Open(p.Pointer, OPath | ODirectory | OCloExec, 0);
        if (fd < 0)
            throw Error("open", path);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Whether <c>openat2</c> works here: a kernel before 5.6 lacks it, and some sandboxes refuse it.</summary>
    internal static bool CanOpenBeneath(SafeFileHandle directory)
    {
        var fd = OpenAtOnce(directory, "."u8, OPath | ODirectory | OCloExec, 0, beneath: true);
        if (fd < 0)
            return false;
        using var probe = new SafeFileHandle((nint)fd, ownsHandle: true);
        return true;
    }

    private static nint OpenAtOnce(SafeFileHandle directory, ReadOnlySpan<byte> relative, int flags, uint mode, bool beneath)
    {
        if (!beneath)
            return OpenStepwise(directory, relative, flags, mode);
        using var p = new NativePath(relative.IsEmpty ? "."u8 : relative);
        var how = stackalloc ulong[3] { (ulong)(uint)flags, (flags & OCreat) != 0 ? mode : 0, ResolveBeneath | ResolveNoSymlinks | ResolveNoMagicLinks };
        nint fd;
        do
            fd = Openat2(SysOpenat2, directory, p.Pointer, how, 3 * sizeof(ulong));
        while (fd < 0 && Marshal.GetLastPInvokeError() == PosixException.EINTR);
        return fd;
    }

    /// <summary>Opens a relative path one component at a time, each directory with O_NOFOLLOW: no symlink is followed.</summary>
    private static nint OpenStepwise(SafeFileHandle directory, ReadOnlySpan<byte> relative, int flags, uint mode)
    {
        var at = directory;
        try
        {
            while (true)
            {
                relative = relative.TrimStart((byte)'/');
                var slash = relative.IndexOf((byte)'/');
                var last = slash < 0 || relative[slash..].TrimStart((byte)'/').IsEmpty;
                var name = slash < 0 ? relative : relative[..slash];
                int fd;
                using (var p = new NativePath(name.IsEmpty ? "."u8 : name))
                    fd = OpenAtNative(at, p.Pointer, last ? flags : OPath | ODirectory | ONoFollow | OCloExec, mode);
                if (last || fd < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (at != directory)
                        at.Dispose(); // close() sets the error the caller reports
                    Marshal.SetLastPInvokeError(errno);
                    return fd;
                }
                if (at != directory)
                    at.Dispose();
                at = new SafeFileHandle(fd, ownsHandle: true);
                relative = relative[slash..];
            }
        }
        catch
        {
            if (at != directory)
                at.Dispose();
            throw;
        }
    }

    /// <summary>Makes a directory; an existing directory is fine. True when it was made.</summary>
    internal static bool MkdirAt(SafeFileHandle directory, ReadOnlySpan<byte> name, uint mode, ReadOnlySpan<byte> display)
    {
        int rc;
        using (var p = new NativePath(name))
            rc = MkdirAtNative(directory, p.Pointer, mode);
        if (rc == 0)
            return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == PosixException.EEXIST && LstatAt(directory, name, display).Kind == FileKind.Directory)
            return false;
        throw new PosixException(errno, "mkdir", Display(display));
    }

    /// <summary>Removes a file, symlink or special file; succeeds when there is none.</summary>
    internal static void UnlinkAt(SafeFileHandle directory, ReadOnlySpan<byte> name, ReadOnlySpan<byte> display)
    {
        int rc;
        using (var p = new NativePath(name))
            rc = UnlinkAtNative(directory, p.Pointer, 0);
        if (rc != 0 && Marshal.GetLastPInvokeError() != PosixException.ENOENT)
            throw Error("unlink", display);
    }

    /// <summary>Creates a symlink named <paramref name="name"/> pointing to <paramref name="target"/>.</summary>
    internal static void SymlinkAt(ReadOnlySpan<byte> target, SafeFileHandle directory, ReadOnlySpan<byte> name, ReadOnlySpan<byte> display)
    {
        int rc;
        using (var t = new NativePath(target))
        using (var p = new NativePath(name))
            rc = SymlinkAtNative(t.Pointer, directory, p.Pointer);
        if (rc != 0)
            throw Error("symlink", display);
    }

    /// <summary>Creates a FIFO or a device, as <see cref="MakeNode"/> does.</summary>
    internal static void MakeNodeAt(SafeFileHandle directory, ReadOnlySpan<byte> name, FileKind kind, uint permissions, ulong rdev, ReadOnlySpan<byte> display)
    {
        var (type, dev) = NodeTypeAndDevice(kind, rdev);
        int rc;
        using (var p = new NativePath(name))
            rc = MknodAtNative(directory, p.Pointer, type | (permissions & 0xFFF), dev);
        if (rc != 0)
            throw Error("mknod", display);
    }

    /// <summary>
    /// Makes <paramref name="name"/> another name of the entry an O_PATH handle holds (through <c>/proc/self/fd</c>,
    /// which needs no privilege, unlike AT_EMPTY_PATH).
    /// </summary>
    internal static void LinkEntryAt(SafeFileHandle existing, SafeFileHandle directory, ReadOnlySpan<byte> name, ReadOnlySpan<byte> display)
    {
        const int AtSymlinkFollow = 0x400;
        int rc;
        using (var e = new EntryThroughProc(existing))
        using (var p = new NativePath(name))
            rc = LinkAtFromPath(AtFdCwd, e.Pointer, directory, p.Pointer, AtSymlinkFollow);
        if (rc != 0)
            throw Error("link", display);
    }

    /// <summary>The status of an entry, not following a symlink.</summary>
    internal static FileStatus LstatAt(SafeFileHandle directory, ReadOnlySpan<byte> name, ReadOnlySpan<byte> display)
    {
        Span<byte> buf = stackalloc byte[256];
        int rc;
        using (var p = new NativePath(name))
        fixed (byte* b = buf)
            rc = StatxOpen(directory, p.Pointer, AtSymlinkNoFollow, StatxBasicStats, b);
        if (rc != 0)
            throw Error("lstat", display);
        return ParseStatx(buf);
    }

    /// <summary>Changes the owner and group of the entry an O_PATH handle names (a symlink itself).</summary>
    internal static void ChownEntry(SafeFileHandle entry, uint uid, uint gid, ReadOnlySpan<byte> display)
    {
        const int AtEmptyPath = 0x1000;
        var empty = stackalloc byte[1] { 0 };
        if (FchownAtNative(entry, empty, uid, gid, AtEmptyPath | AtSymlinkNoFollow) != 0)
            throw Error("lchown", display);
    }

    /// <summary>Sets the permission bits of the entry an O_PATH handle names (not of a symlink: Linux has none to set).</summary>
    internal static void ChmodEntry(SafeFileHandle entry, uint mode, ReadOnlySpan<byte> display)
    {
        int rc;
        using (var p = new EntryThroughProc(entry))
            rc = ChmodNative(p.Pointer, mode);
        if (rc != 0)
            throw Error("chmod", display);
    }

    /// <summary>Sets access and modification times of the entry an O_PATH handle names (a symlink itself).</summary>
    internal static void SetTimesEntry(SafeFileHandle entry, PosixTime atime, PosixTime mtime, ReadOnlySpan<byte> display)
    {
        var times = stackalloc long[4] { atime.Seconds, atime.Nanoseconds, mtime.Seconds, mtime.Nanoseconds };
        int rc;
        using (var p = new EntryThroughProc(entry))
            rc = UtimensAt(AtFdCwd, p.Pointer, times, 0);
        if (rc != 0)
            throw Error("utimensat", display);
    }

    /// <summary>Sets one extended attribute of the entry an O_PATH handle names (a symlink itself).</summary>
    internal static void SetXattrEntry(SafeFileHandle entry, ReadOnlySpan<byte> attribute, ReadOnlySpan<byte> value, ReadOnlySpan<byte> display)
    {
        int rc;
        using (var p = new EntryThroughProc(entry))
        using (var a = new NativePath(attribute))
        fixed (byte* v = value)
            rc = SetXattrNative(p.Pointer, a.Pointer, v, value.Length, 0);
        if (rc != 0)
            throw Error("setxattr", display);
    }

    /// <summary>Removes one extended attribute of the entry an O_PATH handle names; a missing one is fine.</summary>
    internal static void RemoveXattrEntry(SafeFileHandle entry, ReadOnlySpan<byte> attribute, ReadOnlySpan<byte> display)
    {
        int rc;
        using (var p = new EntryThroughProc(entry))
        using (var a = new NativePath(attribute))
            rc = RemoveXattrNative(p.Pointer, a.Pointer);
        if (rc != 0 && Marshal.GetLastPInvokeError() != PosixException.ENODATA)
            throw Error("removexattr", display);
    }

    /// <summary>
    /// The entry an O_PATH handle names as the path <c>/proc/self/fd/N</c>, for calls Linux has no form of that takes
    /// a handle (<c>chmod</c>, <c>utimensat</c>, <c>setxattr</c> before 6.13): the kernel's link leads to that very
    /// entry, a symlink itself rather than what it points to. The handle is held until disposed.
    /// </summary>
    private readonly ref struct EntryThroughProc
    {
        private readonly SafeFileHandle _entry;
        private readonly NativePath _path;

        public EntryThroughProc(SafeFileHandle entry)
        {
            var added = false;
            entry.DangerousAddRef(ref added);
            try
            {
                _path = new NativePath(System.Text.Encoding.ASCII.GetBytes($"/proc/self/fd/{entry.DangerousGetHandle()}"));
            }
            catch
            {
                entry.DangerousRelease();
                throw;
            }
            _entry = entry;
        }

        public byte* Pointer => _path.Pointer;

        public void Dispose()
        {
            _path.Dispose();
            _entry.DangerousRelease();
        }
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial nint Openat2(nint number, SafeFileHandle dirfd, byte* path, ulong* how, nuint size);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
    private static partial int OpenAtNative(SafeFileHandle dirfd, byte* path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true)]
    private static partial int MkdirAtNative(SafeFileHandle dirfd, byte* path, uint mode);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true)]
    private static partial int UnlinkAtNative(SafeFileHandle dirfd, byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "symlinkat", SetLastError = true)]
    private static partial int SymlinkAtNative(byte* target, SafeFileHandle dirfd, byte* path);

    [LibraryImport("libc", EntryPoint = "mknodat", SetLastError = true)]
    private static partial int MknodAtNative(SafeFileHandle dirfd, byte* path, uint mode, ulong dev);

    [LibraryImport("libc", EntryPoint = "linkat", SetLastError = true)]
    private static partial int LinkAtFromPath(int olddirfd, byte* oldpath, SafeFileHandle newdirfd, byte* newpath, int flags);

    [LibraryImport("libc", EntryPoint = "fchownat", SetLastError = true)]
    private static partial int FchownAtNative(SafeFileHandle dirfd, byte* path, uint uid, uint gid, int flags);

    [LibraryImport("libc", EntryPoint = "setxattr", SetLastError = true)]
    private static partial int SetXattrNative(byte* path, byte* name, byte* value, nint size, int flags);

    [LibraryImport("libc", EntryPoint = "removexattr", SetLastError = true)]
    private static partial int RemoveXattrNative(byte* path, byte* name);
}
