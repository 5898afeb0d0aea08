namespace Cairn.Core.Platform;

/// <summary>A failed system call, with its errno and the path it concerned.</summary>
public sealed class PosixException : IOException
{
    /// <summary>errno for "no such file or directory".</summary>
    public const int ENOENT = 2;
    /// <summary>errno for "interrupted system call" (retried).</summary>
    public const int EINTR = 4;
    /// <summary>errno for "try again" (a read that would have to wait, asked not to).</summary>
    public const int EAGAIN = 11;
    /// <summary>errno for "input/output error".</summary>
    public const int EIO = 5;
    /// <summary>errno for "permission denied".</summary>
    public const int EACCES = 13;
    /// <summary>errno for "operation not permitted".</summary>
    public const int EPERM = 1;
    /// <summary>errno for "file exists".</summary>
    public const int EEXIST = 17;
    /// <summary>errno for "not a directory".</summary>
    public const int ENOTDIR = 20;
    /// <summary>errno for "is a directory" (reading an open directory).</summary>
    public const int EISDIR = 21;
    /// <summary>errno for "illegal seek" (a positional read of a FIFO).</summary>
    public const int ESPIPE = 29;
    /// <summary>errno for "no space left on device".</summary>
    public const int ENOSPC = 28;
    /// <summary>errno for "disk quota exceeded".</summary>
    public const int EDQUOT = 122;
    /// <summary>errno for "too many levels of symbolic links", which Cairn meets where it follows no symlink (O_NOFOLLOW, RESOLVE_NO_SYMLINKS).</summary>
    public const int ELOOP = 40;
    /// <summary>errno for "invalid argument".</summary>
    public const int EINVAL = 22;
    /// <summary>errno for "inappropriate ioctl for device" (no chattr flags on this filesystem).</summary>
    public const int ENOTTY = 25;
    /// <summary>Operation not supported (on this filesystem).</summary>
    public const int EOPNOTSUPP = 95;
    /// <summary>No such attribute.</summary>
    public const int ENODATA = 61;
    /// <summary>Result too large for the buffer.</summary>
    public const int ERANGE = 34;
    /// <summary>A stale handle: here, a directory replaced by another.</summary>
    public const int ESTALE = 116;

    /// <summary>Creates the exception for <paramref name="errno"/> raised by <paramref name="call"/> on <paramref name="path"/>.</summary>
    public PosixException(int errno, string call, string path)
        : base($"{call} {path}: {Describe(errno)}")
    {
        Errno = errno;
        HResult = errno;
    }

    /// <summary>Creates the exception for <paramref name="errno"/> with its own <paramref name="description"/>.</summary>
    public PosixException(int errno, string call, string path, string description)
        : base($"{call} {path}: {description}")
    {
        Errno = errno;
        HResult = errno;
    }

    /// <summary>The error number.</summary>
    public int Errno { get; }

    /// <summary>True when the entry does not exist (any more).</summary>
    public bool IsNotFound => Errno is ENOENT or ENOTDIR;

    /// <summary>
    /// True when a positional read found that the open entry is not a regular file: a FIFO or a directory that took
    /// a file's name after its status was taken.
    /// </summary>
    public bool IsNotRegularFile => Errno is ESPIPE or EISDIR;

    /// <summary>True when the filesystem or quota is full.</summary>
    public bool IsNoSpace => Errno is ENOSPC or EDQUOT;

    /// <summary>True when the filesystem does not support the operation (e.g. extended attributes on vfat).</summary>
    public bool IsNotSupported => Errno == EOPNOTSUPP;

    private static string Describe(int errno) => errno switch
    {
        ENOENT => "no such file or directory",
        EACCES => "permission denied",
        EPERM => "operation not permitted",
        EEXIST => "file exists",
        ENOTDIR => "not a directory",
        ENOSPC => "no space left on device",
        EDQUOT => "disk quota exceeded",
        ELOOP => "a symlink is in the way (not followed)",
        _ => Posix.StrError(errno),
    };
}
