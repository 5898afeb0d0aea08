using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Platform;

/// <summary>Extended attributes of paths, symlinks themselves included, and of open files.</summary>
public static unsafe partial class Posix
{
    /// <summary>
    /// Lists the names of a path's extended attributes (of a symlink itself, not its target), in every namespace
    /// the process may read. Empty when the filesystem has none or does not support them.
    /// </summary>
    public static List<byte[]> ListXattrNames(ReadOnlySpan<byte> path) => ListXattrNamesThrough(null, path);

    /// <summary>Lists the names of an open file's extended attributes, as <see cref="ListXattrNames(ReadOnlySpan{byte})"/> does a path's.</summary>
    public static List<byte[]> ListXattrNames(SafeFileHandle handle, ReadOnlySpan<byte> pathForMessages)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return ListXattrNamesThrough(handle, pathForMessages);
    }

    /// <summary>Reads one extended attribute of an open file, as <see cref="GetXattr(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> does a path's.</summary>
    public static byte[]? GetXattr(SafeFileHandle handle, ReadOnlySpan<byte> name, ReadOnlySpan<byte> pathForMessages)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return GetXattrThrough(handle, pathForMessages, name);
    }

    /// <summary>Lists through <paramref name="handle"/> when there is one, else by <paramref name="path"/>.</summary>
    private static List<byte[]> ListXattrNamesThrough(SafeFileHandle? handle, ReadOnlySpan<byte> path)
    {
        var names = new List<byte[]>();
        var size = 256;
        using var p = handle is null ? new NativePath(path) : default; // no copy of the path when reading through the handle
        while (true)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                nint n;
                fixed (byte* b = buffer)
                    n = handle is null ? LListXattr(p.Pointer, b, buffer.Length) : FListXattr(handle, b, buffer.Length);
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == PosixException.EOPNOTSUPP)
                        return names;
                    if (errno == PosixException.ERANGE)
                    {
                        size = buffer.Length * 4;
                        continue;
                    }
                    throw new PosixException(errno, handle is null ? "llistxattr" : "flistxattr", Display(path));
                }
                var start = 0;
                for (var i = 0; i < n; i++)
                {
                    if (buffer[i] != 0)
                        continue;
                    if (i > start)
                        names.Add(buffer[start..i]);
                    start = i + 1;
                }
                return names;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Reads one extended attribute of a path (of a symlink itself); null when it vanished meanwhile.</summary>
    public static byte[]? GetXattr(ReadOnlySpan<byte> path, ReadOnlySpan<byte> name) => GetXattrThrough(null, path, name);

    /// <summary>Reads through <paramref name="handle"/> when there is one, else by <paramref name="path"/>.</summary>
    private static byte[]? GetXattrThrough(SafeFileHandle? handle, ReadOnlySpan<byte> path, ReadOnlySpan<byte> name)
    {
        using var p = handle is null ? new NativePath(path) : default; // no copy of the path when reading through the handle
        using var a = new NativePath(name);
        var size = 1024;
        while (true)
        {
            var buffer = new byte[size];
            nint n;
            fixed (byte* b = buffer)
                n = handle is null ? LGetXattr(p.Pointer, a.Pointer, b, buffer.Length) : FGetXattr(handle, a.Pointer, b, buffer.Length);
            if (n >= 0)
                return n == buffer.Length ? buffer : buffer.AsSpan(0, (int)n).ToArray();
            var errno = Marshal.GetLastPInvokeError();
            if (errno == PosixException.ENODATA)
                return null;
            if (errno != PosixException.ERANGE)
                throw new PosixException(errno, handle is null ? "lgetxattr" : "fgetxattr", Display(path));
            size *= 4;
        }
    }

    /// <summary>Sets one extended attribute of a path (of a symlink itself), creating or replacing it.</summary>
    public static void SetXattr(ReadOnlySpan<byte> path, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        int rc;
        using (var p = new NativePath(path))
        using (var a = new NativePath(name))
        fixed (byte* v = value)
            rc = LSetXattr(p.Pointer, a.Pointer, v, value.Length, 0);
        if (rc != 0)
            throw Error("lsetxattr", path);
    }

    /// <summary>Removes one extended attribute of an open file or directory; a missing one is fine.</summary>
    public static void RemoveXattr(SafeFileHandle handle, ReadOnlySpan<byte> attribute, ReadOnlySpan<byte> pathForMessages)
    {
        ArgumentNullException.ThrowIfNull(handle);
        int rc;
        using (var a = new NativePath(attribute))
            rc = FRemoveXattr(handle, a.Pointer);
        if (rc != 0 && Marshal.GetLastPInvokeError() != PosixException.ENODATA)
            throw Error("fremovexattr", pathForMessages);
    }

    /// <summary>Sets one extended attribute of an open file or directory, creating or replacing it.</summary>
    public static void SetXattr(SafeFileHandle handle, ReadOnlySpan<byte> attribute, ReadOnlySpan<byte> value, ReadOnlySpan<byte> pathForMessages)
    {
        ArgumentNullException.ThrowIfNull(handle);
        int rc;
        using (var a = new NativePath(attribute))
        fixed (byte* v = value)
            rc = FSetXattr(handle, a.Pointer, v, value.Length, 0);
        if (rc != 0)
            throw Error("fsetxattr", pathForMessages);
    }

    [LibraryImport("libc", EntryPoint = "fremovexattr", SetLastError = true)]
    private static partial int FRemoveXattr(SafeFileHandle fd, byte* name);

    [LibraryImport("libc", EntryPoint = "fsetxattr", SetLastError = true)]
    private static partial int FSetXattr(SafeFileHandle fd, byte* name, byte* value, nint size, int flags);
}
