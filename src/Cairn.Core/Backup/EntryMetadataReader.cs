using Cairn.Core.Platform;
using Cairn.Core.Trees;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Backup;

/// <summary>Reads the metadata of an entry beyond its status: chattr flags and extended attributes (ACLs among them). Failures are warnings.</summary>
internal sealed class EntryMetadataReader(BackupProgress progress)
{
    /// <summary>Reads the chattr flags of a file or directory; a failure is a warning.</summary>
    public uint ReadFlags(byte[] path)
    {
        try
        {
            return Posix.GetFlags(path);
        }
        catch (PosixException e)
        {
            if (!e.IsNotFound)
                progress.Warning(Posix.Display(path), $"file flags not read: {e.Message}");
            return 0;
        }
    }

    public uint ReadFlags(SafeFileHandle handle, byte[] path)
    {
        try
        {
            return Posix.GetFlags(handle, path);
        }
        catch (PosixException e)
        {
            progress.Warning(Posix.Display(path), $"file flags not read: {e.Message}");
            return 0;
        }
    }

    /// <summary>Reads an entry's extended attributes (ACLs among them), sorted by name; a failure is a warning.</summary>
    public IReadOnlyList<ExtendedAttribute> ReadXattrs(byte[] path) => ReadXattrsThrough(null, path);

    /// <summary>Reads an open file's extended attributes: those of the file that was read, without looking its path up again.</summary>
    public IReadOnlyList<ExtendedAttribute> ReadXattrs(SafeFileHandle handle, byte[] path)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return ReadXattrsThrough(handle, path);
    }

    private IReadOnlyList<ExtendedAttribute> ReadXattrsThrough(SafeFileHandle? handle, byte[] path)
    {
        List<byte[]> names;
        try
        {
            names = handle is null ? Posix.ListXattrNames(path) : Posix.ListXattrNames(handle, path);
        }
        catch (PosixException e)
        {
            if (!e.IsNotFound)
                progress.Warning(Posix.Display(path), $"extended attributes not read: {e.Message}");
            return [];
        }
        if (names.Count == 0)
            return [];
        names.Sort(static (a, b) => a.AsSpan().SequenceCompareTo(b));
        var attributes = new List<ExtendedAttribute>(names.Count);
        foreach (var name in names)
        {
            try
            {
                if ((handle is null ? Posix.GetXattr(path, name) : Posix.GetXattr(handle, name, path)) is { } value)
                    attributes.Add(new ExtendedAttribute(name, value));
            }
            catch (PosixException e)
            {
                progress.Warning(Posix.Display(path), $"extended attribute {PathBytes.Display(name)} not read: {e.Message}");
            }
        }
        return attributes;
    }
}
