namespace Cairn.Core.Platform;

/// <summary>
/// A directory opened for a walk: its names, sorted by their bytes, and the open directory itself, so that each
/// entry's status is looked up by name relative to it instead of resolving the directory's whole path again for
/// every entry. Keep it open only while looking entries up: a walk that held one per level could run out of
/// file descriptors in a deep tree.
/// </summary>
public sealed class DirectoryListing : IDisposable
{
    private readonly byte[] _path;
    private nint _dir;

    internal DirectoryListing(nint dir, byte[] path, List<byte[]> names)
    {
        _dir = dir;
        _path = path;
        Names = names;
    }

    /// <summary>The entries' names, without "." and "..", sorted by their bytes.</summary>
    public List<byte[]> Names { get; }

    /// <summary>The status of the entry <paramref name="name"/>, without following it when it is a symlink.</summary>
    public FileStatus Lstat(ReadOnlySpan<byte> name)
    {
        ObjectDisposedException.ThrowIf(_dir == 0, this);
        return Posix.LstatAt(_dir, name, _path);
    }

    /// <summary>Closes the directory.</summary>
    public void Dispose()
    {
        var dir = Interlocked.Exchange(ref _dir, 0);
        if (dir != 0)
            Posix.CloseDirectory(dir);
    }
}
