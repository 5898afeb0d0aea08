using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Platform;

/// <summary>
/// The system calls Cairn needs with paths as raw bytes: .NET's own file APIs decode names as UTF-8 and
/// would lose names that are not valid UTF-8, and they do not expose inode, ctime or nanosecond times.
/// </summary>
public static unsafe partial class Posix
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff, StatxBirthTime = 0x800;
    private const int ORdOnly = 0, OWrOnly = 1, OCreat = 0x40, OExcl = 0x80;
    private const int ONonBlock = 0x800, ONoAtime = 0x40000, OCloExec = 0x80000, ONoCtty = 0x100;
    private static readonly int ONoFollow = NoFollowFlag(RuntimeInformation.ProcessArchitecture);
    private const int SIfMt = 0xF000;
    private static readonly (nuint Get, nuint Set) FlagsRequests = FlagsIoctls(RuntimeInformation.ProcessArchitecture, IntPtr.Size);

    /// <summary>
    /// O_NOFOLLOW, whose value Linux defines per architecture: 0x20000 in the generic table (x86-64, RISC-V, …),
    /// 0x8000 on Arm, Arm64 and PowerPC, where 0x20000 is another flag (O_LARGEFILE on Arm, O_DIRECT on PowerPC)
    /// and symlinks would be followed silently.
    /// </summary>
    internal static int NoFollowFlag(Architecture architecture) =>
        architecture is Architecture.Arm or Architecture.Arm64 or Architecture.Armv6 or Architecture.Ppc64le ? 0x8000 : 0x20000;

    /// <summary>
    /// FS_IOC_GETFLAGS and FS_IOC_SETFLAGS, _IOR and _IOW('f', 1 and 2, long): their numbers hold the size of a long
    /// (4 on 32-bit Arm) and the direction bits, which PowerPC puts elsewhere.
    /// </summary>
    internal static (nuint Get, nuint Set) FlagsIoctls(Architecture architecture, int longSize)
    {
        var size = (nuint)longSize << 16;
        var (read, write) = architecture is Architecture.Ppc64le ? ((nuint)2 << 29, (nuint)4 << 29) : ((nuint)2 << 30, (nuint)1 << 30);
        return (read | size | 0x6601, write | size | 0x6602);
    }

    /// <summary>Returns the status of <paramref name="path"/> without following a final symlink.</summary>
    public static FileStatus Lstat(ReadOnlySpan<byte> path) =>
        TryStatNoFollow(AtFdCwd, path, out var status) ? status : throw Error("lstat", path);

    /// <summary>statx of <paramref name="path"/> relative to <paramref name="dirfd"/>, not following a final symlink; false with errno set on failure.</summary>
    private static bool TryStatNoFollow(int dirfd, ReadOnlySpan<byte> path, [NotNullWhen(true)] out FileStatus? status)
    {
        Span<byte> buf = stackalloc byte[256];
        int rc;
        using (var p = new NativePath(path))
        fixed (byte* b = buf)
            rc = Statx(dirfd, p.Pointer, AtSymlinkNoFollow, StatxBasicStats, b);
        status = rc == 0 ? ParseStatx(buf) : null;
        return rc == 0;
    }

    /// <summary>Returns the status of an open file, with its birth time where the filesystem records one.</summary>
    public static FileStatus Fstat(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        Span<byte> buf = stackalloc byte[256];
        var empty = stackalloc byte[1] { 0 };
        const int AtEmptyPath = 0x1000;
        int rc;
        fixed (byte* b = buf)
            rc = StatxOpen(handle, empty, AtEmptyPath, StatxBasicStats | StatxBirthTime, b);
        if (rc != 0)
            throw new PosixException(Marshal.GetLastPInvokeError(), "fstat", "(open file)");
        return ParseStatx(buf);
    }

    private static FileStatus ParseStatx(ReadOnlySpan<byte> b)
    {
        var mode = BinaryPrimitives.ReadUInt16LittleEndian(b[28..]);
        return new FileStatus
        {
            Kind = KindOf(mode),
            Mode = (uint)(mode & 0xFFF),
            Links = BinaryPrimitives.ReadUInt32LittleEndian(b[16..]),
            Uid = BinaryPrimitives.ReadUInt32LittleEndian(b[20..]),
            Gid = BinaryPrimitives.ReadUInt32LittleEndian(b[24..]),
            Inode = BinaryPrimitives.ReadUInt64LittleEndian(b[32..]),
            Size = BinaryPrimitives.ReadInt64LittleEndian(b[40..]),
            Blocks = BinaryPrimitives.ReadInt64LittleEndian(b[48..]),
            Atime = Timestamp(b[64..]),
            Ctime = Timestamp(b[96..]),
            Mtime = Timestamp(b[112..]),
            Birth = (BinaryPrimitives.ReadUInt32LittleEndian(b) & StatxBirthTime) != 0 ? Timestamp(b[80..]) : null,
            Rdev = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(b[128..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(b[132..]),
            Device = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(b[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(b[140..]),
        };
    }

    private static PosixTime Timestamp(ReadOnlySpan<byte> b) =>
        new(BinaryPrimitives.ReadInt64LittleEndian(b), BinaryPrimitives.ReadUInt32LittleEndian(b[8..]));

    private static FileKind KindOf(uint mode) => (mode & SIfMt) switch
    {
        0x8000 => FileKind.File,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.Symlink,
        0x1000 => FileKind.Fifo,
        0x2000 => FileKind.CharDevice,
        0x6000 => FileKind.BlockDevice,
        0xC000 => FileKind.Socket,
        _ => FileKind.Unknown,
    };

    /// <summary>Lists the names in a directory (without "." and ".."), sorted by their bytes.</summary>
    public static List<byte[]> ReadDirectory(ReadOnlySpan<byte> path)
    {
        using var listing = OpenDirectory(path);
        return listing.Names;
    }

    /// <summary>Opens a directory and lists its names; its entries can then be looked up by name (<see cref="DirectoryListing.Lstat"/>).</summary>
    public static DirectoryListing OpenDirectory(ReadOnlySpan<byte> path)
    {
        nint dir;
        using (var p = new NativePath(path))
            dir = OpenDir(p.Pointer);
        if (dir == 0)
            throw Error("opendir", path);
        var names = new List<byte[]>();
        try
        {
            while (true)
            {
                Marshal.SetLastPInvokeError(0);
                var entry = ReadDir64(dir);
                if (entry == null)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno != 0)
                        throw new PosixException(errno, "readdir", Display(path));
                    break;
                }
                var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(entry + 19);
                if (name.SequenceEqual("."u8) || name.SequenceEqual(".."u8))
                    continue;
                names.Add(name.ToArray());
            }
        }
        catch
        {
            _ = CloseDir(dir);
            throw;
        }
        names.Sort(static (a, b) => a.AsSpan().SequenceCompareTo(b));
        return new DirectoryListing(dir, path.ToArray(), names);
    }

    /// <summary>The status of <paramref name="name"/> in the open directory <paramref name="dir"/>, without following a symlink.</summary>
    internal static FileStatus LstatAt(nint dir, ReadOnlySpan<byte> name, ReadOnlySpan<byte> directoryPath) =>
        TryStatNoFollow(DirFd(dir), name, out var status) ? status : throw Error("lstat", PathBytes.Join(directoryPath, name));

    internal static void CloseDirectory(nint dir) => _ = CloseDir(dir);

    /// <summary>
    /// Opens a file for reading without following symlinks, without blocking (a FIFO that took a file's name since
    /// its status was taken opens at once, and its first positional read fails instead of waiting for a writer)
    /// and, where allowed, without updating its access time.
    /// </summary>
    public static SafeFileHandle OpenRead(ReadOnlySpan<byte> path)
    {
        var fd = OpenReadDescriptor(path);
        if (fd < 0)
            throw Error("open", path);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>The file descriptor of <see cref="OpenRead"/>, or -1 with errno set.</summary>
    private static int OpenReadDescriptor(ReadOnlySpan<byte> path)
    {
        using var p = new NativePath(path);
        var fd = Open(p.Pointer, ORdOnly | ONoFollow | OCloExec | ONonBlock | ONoCtty | ONoAtime, 0);
        if (fd < 0 && Marshal.GetLastPInvokeError() == PosixException.EPERM)
            fd = Open(p.Pointer, ORdOnly | ONoFollow | OCloExec | ONonBlock | ONoCtty, 0);
        return fd;
    }

    /// <summary>Creates a new file for writing; fails if the name exists.</summary>
    public static SafeFileHandle CreateNew(ReadOnlySpan<byte> path, uint mode = 0x180)
    {
        using var p = new NativePath(path);
        var fd = Open(p.Pointer, OWrOnly | OCreat | OExcl | ONoFollow | OCloExec, mode);
        if (fd < 0)
            throw Error("create", path);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Opens an existing regular file for writing at offsets, without truncating it.</summary>
    public static SafeFileHandle OpenForWrite(ReadOnlySpan<byte> path)
    {
        using var p = new NativePath(path);
        var fd = Open(p.Pointer, OWrOnly | ONoFollow | OCloExec | ONoCtty, 0);
        if (fd < 0)
            throw Error("open", path);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Reads a symlink's target as bytes.</summary>
    public static byte[] ReadLink(ReadOnlySpan<byte> path)
    {
        var size = 256;
        while (true)
        {
            var buffer = new byte[size];
            nint n;
            using (var p = new NativePath(path))
            fixed (byte* b = buffer)
                n = ReadLinkNative(p.Pointer, b, size);
            if (n < 0)
                throw Error("readlink", path);
            if (n < size)
                return buffer.AsSpan(0, (int)n).ToArray();
            size *= 4;
        }
    }

    /// <summary>Creates a directory; succeeds when it exists already as a directory.</summary>
    public static void Mkdir(ReadOnlySpan<byte> path, uint mode = 0x1C0)
    {
        int rc;
        using (var p = new NativePath(path))
            rc = MkdirNative(p.Pointer, mode);
        if (rc == 0)
            return;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == PosixException.EEXIST && Lstat(path).Kind == FileKind.Directory)
            return;
        throw new PosixException(errno, "mkdir", Display(path));
    }

    /// <summary>
    /// Creates a FIFO or a character or block device; <paramref name="rdev"/> is Cairn's device number
    /// (<c>major &lt;&lt; 32 | minor</c>), converted here to the C library's <c>dev_t</c>.
    /// </summary>
    public static void MakeNode(ReadOnlySpan<byte> path, FileKind kind, uint permissions, ulong rdev)
    {
        var (type, dev) = NodeTypeAndDevice(kind, rdev);
        int rc;
        using (var p = new NativePath(path))
            rc = MknodNative(p.Pointer, type | (permissions & 0xFFF), dev);
        if (rc != 0)
            throw Error("mknod", path);
    }

    /// <summary>mknod's file type bits, and the C library's <c>dev_t</c> for a device (0 for a FIFO).</summary>
    private static (uint Type, ulong Dev) NodeTypeAndDevice(FileKind kind, ulong rdev)
    {
        var type = kind switch
        {
            FileKind.Fifo => 0x1000u,
            FileKind.CharDevice => 0x2000u,
            FileKind.BlockDevice => 0x6000u,
            _ => throw new ArgumentException($"mknod cannot make a {kind}", nameof(kind)),
        };
        ulong major = rdev >> 32, minor = rdev & 0xFFFFFFFF;
        var dev = ((major & 0xFFFFF000) << 32) | ((major & 0xFFF) << 8) | ((minor & 0xFFFFFF00) << 12) | (minor & 0xFF);
        return (type, kind == FileKind.Fifo ? 0 : dev);
    }

    /// <summary>Makes <paramref name="path"/> another name of the file at <paramref name="existing"/> (a hard link).</summary>
    public static void Link(ReadOnlySpan<byte> existing, ReadOnlySpan<byte> path)
    {
        int rc;
        using (var e = new NativePath(existing))
        using (var p = new NativePath(path))
            rc = LinkNative(e.Pointer, p.Pointer);
        if (rc != 0)
            throw Error("link", path);
    }

    /// <summary>Creates a symlink at <paramref name="path"/> pointing to <paramref name="target"/>.</summary>
    public static void Symlink(ReadOnlySpan<byte> target, ReadOnlySpan<byte> path)
    {
        int rc;
        using (var t = new NativePath(target))
        using (var p = new NativePath(path))
            rc = SymlinkNative(t.Pointer, p.Pointer);
        if (rc != 0)
            throw Error("symlink", path);
    }

    /// <summary>Removes a file or symlink; succeeds when it does not exist.</summary>
    public static void Unlink(ReadOnlySpan<byte> path)
    {
        int rc;
        using (var p = new NativePath(path))
            rc = UnlinkNative(p.Pointer);
        if (rc != 0 && Marshal.GetLastPInvokeError() != PosixException.ENOENT)
            throw Error("unlink", path);
    }

    /// <summary>Changes owner and group without following a final symlink.</summary>
    public static void Lchown(ReadOnlySpan<byte> path, uint uid, uint gid)
    {
        int rc;
        using (var p = new NativePath(path))
            rc = LchownNative(p.Pointer, uid, gid);
        if (rc != 0)
            throw Error("lchown", path);
    }

    /// <summary>Sets the permission bits, including setuid, setgid and sticky.</summary>
    public static void Chmod(ReadOnlySpan<byte> path, uint mode)
    {
        int rc;
        using (var p = new NativePath(path))
            rc = ChmodNative(p.Pointer, mode);
        if (rc != 0)
            throw Error("chmod", path);
    }

    /// <summary>Sets access and modification times with nanoseconds, without following a final symlink.</summary>
    public static void SetTimes(ReadOnlySpan<byte> path, PosixTime atime, PosixTime mtime)
    {
        var times = stackalloc long[4] { atime.Seconds, atime.Nanoseconds, mtime.Seconds, mtime.Nanoseconds };
        int rc;
        using (var p = new NativePath(path))
            rc = UtimensAt(AtFdCwd, p.Pointer, times, AtSymlinkNoFollow);
        if (rc != 0)
            throw Error("utimensat", path);
    }

    /// <summary>Changes the owner and group of an open file.</summary>
    public static void Fchown(SafeFileHandle handle, uint uid, uint gid, ReadOnlySpan<byte> pathForMessages)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (FchownNative(handle, uid, gid) != 0)
            throw Error("fchown", pathForMessages);
    }

    /// <summary>Sets the permission bits of an open file, including setuid, setgid and sticky.</summary>
    public static void Fchmod(SafeFileHandle handle, uint mode, ReadOnlySpan<byte> pathForMessages)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (FchmodNative(handle, mode) != 0)
            throw Error("fchmod", pathForMessages);
    }

    /// <summary>Sets the access and modification times of an open file with nanoseconds.</summary>
    public static void SetTimes(SafeFileHandle handle, PosixTime atime, PosixTime mtime, ReadOnlySpan<byte> pathForMessages)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var times = stackalloc long[4] { atime.Seconds, atime.Nanoseconds, mtime.Seconds, mtime.Nanoseconds };
        if (FutimensNative(handle, times) != 0)
            throw Error("futimens", pathForMessages);
    }

    /// <summary>The current process's effective user id.</summary>
    public static uint EffectiveUserId => GetEuid();

    /// <summary>The current process's effective group id.</summary>
    public static uint EffectiveGroupId => GetEgid();

    /// <summary>Looks up a user name by id; null when the id has no name.</summary>
    public static string? UserName(uint uid) => NameLookup.User(uid);

    /// <summary>Looks up a user id by name; null when there is no such user here.</summary>
    public static uint? UserId(string name) => NameLookup.UserId(name);

    /// <summary>Looks up a group id by name; null when there is no such group here.</summary>
    public static uint? GroupId(string name) => NameLookup.GroupId(name);

    /// <summary>Looks up a group name by id; null when the id has no name.</summary>
    public static string? GroupName(uint gid) => NameLookup.Group(gid);

    /// <summary>Renders a byte path for messages, escaping bytes that are not valid UTF-8.</summary>
    public static string Display(ReadOnlySpan<byte> path) => PathBytes.Display(path);

    internal static string StrError(int errno)
    {
        var s = StrErrorNative(errno);
        return s == null ? $"error {errno}" : Marshal.PtrToStringUTF8((nint)s) ?? $"error {errno}";
    }

    private static PosixException Error(string call, ReadOnlySpan<byte> path) =>
        new(Marshal.GetLastPInvokeError(), call, Display(path));

    /// <summary>A NUL-terminated copy of a path for a system call, from the shared pool; <c>default</c> holds none.</summary>
    private readonly ref struct NativePath
    {
        private readonly byte[] _buffer;
        private readonly GCHandle _pin;

        public NativePath(ReadOnlySpan<byte> path)
        {
            if (path.IndexOf((byte)0) >= 0)
                throw new ArgumentException("a path cannot contain a NUL byte", nameof(path));
            _buffer = ArrayPool<byte>.Shared.Rent(path.Length + 1);
            path.CopyTo(_buffer);
            _buffer[path.Length] = 0;
            _pin = GCHandle.Alloc(_buffer, GCHandleType.Pinned);
            Pointer = (byte*)_pin.AddrOfPinnedObject();
        }

        public byte* Pointer { get; }

        public void Dispose()
        {
            if (_buffer is null)
                return;
            _pin.Free();
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static partial int Statx(int dirfd, byte* path, int flags, uint mask, byte* buf);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static partial int StatxOpen(SafeFileHandle fd, byte* path, int flags, uint mask, byte* buf);

    [LibraryImport("libc", EntryPoint = "opendir", SetLastError = true)]
    private static partial nint OpenDir(byte* path);

    [LibraryImport("libc", EntryPoint = "readdir64", SetLastError = true)]
    private static partial byte* ReadDir64(nint dir);

    [LibraryImport("libc", EntryPoint = "closedir", SetLastError = true)]
    private static partial int CloseDir(nint dir);

    [LibraryImport("libc", EntryPoint = "dirfd", SetLastError = true)]
    private static partial int DirFd(nint dir);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    private static partial int Open(byte* path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true)]
    private static partial nint ReadLinkNative(byte* path, byte* buf, nint size);

    [LibraryImport("libc", EntryPoint = "mkdir", SetLastError = true)]
    private static partial int MkdirNative(byte* path, uint mode);

    [LibraryImport("libc", EntryPoint = "symlink", SetLastError = true)]
    private static partial int SymlinkNative(byte* target, byte* path);

    [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true)]
    private static partial int UnlinkNative(byte* path);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true)]
    private static partial int LchownNative(byte* path, uint uid, uint gid);

    [LibraryImport("libc", EntryPoint = "chmod", SetLastError = true)]
    private static partial int ChmodNative(byte* path, uint mode);

    [LibraryImport("libc", EntryPoint = "utimensat", SetLastError = true)]
    private static partial int UtimensAt(int dirfd, byte* path, long* times, int flags);

    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    private static partial int FchownNative(SafeFileHandle fd, uint uid, uint gid);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    private static partial int FchmodNative(SafeFileHandle fd, uint mode);

    [LibraryImport("libc", EntryPoint = "futimens", SetLastError = true)]
    private static partial int FutimensNative(SafeFileHandle fd, long* times);

    [LibraryImport("libc", EntryPoint = "llistxattr", SetLastError = true)]
    private static partial nint LListXattr(byte* path, byte* list, nint size);

    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true)]
    private static partial nint LGetXattr(byte* path, byte* name, byte* value, nint size);

    [LibraryImport("libc", EntryPoint = "flistxattr", SetLastError = true)]
    private static partial nint FListXattr(SafeFileHandle fd, byte* list, nint size);

    [LibraryImport("libc", EntryPoint = "fgetxattr", SetLastError = true)]
    private static partial nint FGetXattr(SafeFileHandle fd, byte* name, byte* value, nint size);

    [LibraryImport("libc", EntryPoint = "lsetxattr", SetLastError = true)]
    private static partial int LSetXattr(byte* path, byte* name, byte* value, nint size, int flags);

    [LibraryImport("libc", EntryPoint = "mknod", SetLastError = true)]
    private static partial int MknodNative(byte* path, uint mode, ulong dev);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true)]
    private static partial int LinkNative(byte* existing, byte* path);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(SafeFileHandle fd, nuint request, int* argument);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "getegid")]
    private static partial uint GetEgid();

    [LibraryImport("libc", EntryPoint = "strerror")]
    private static partial byte* StrErrorNative(int errno);
}
