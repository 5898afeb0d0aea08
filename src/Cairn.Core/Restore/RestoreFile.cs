using Cairn.Core.Platform;
using Cairn.Core.Trees;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Restore;

/// <summary>
/// A regular file being restored: where it goes and how many blobs are still to be written. The file is
/// created when its first blob arrives (or at the end, for a file without content), so that a small file
/// costs one open: create, write, owner, mode and times all go through the same descriptor.
/// </summary>
internal sealed class RestoreFile(byte[] path, Node node)
{
    private readonly Lock _creation = new();
    private int _remaining = node.Content.Count;
    private int _failed;
    private volatile bool _created;

    public byte[] Path { get; } = path;

    public Node Node { get; } = node;

    public bool Failed => Volatile.Read(ref _failed) != 0;

    /// <summary>
    /// Opens the file for writing at offsets. The first call replaces whatever was at the path with a new file
    /// of the node's size (unwritten ranges stay holes); later calls open that file.
    /// </summary>
    public SafeFileHandle Open()
    {
        if (_created)
            return Posix.OpenForWrite(Path);
        lock (_creation)
        {
            if (_created)
                return Posix.OpenForWrite(Path);
            Posix.Unlink(Path);
            var handle = Posix.CreateNew(Path);
            try
            {
                if (Node.Content.Count > 1 && Node.Size > 0)
                    RandomAccess.SetLength(handle, Node.Size);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
            _created = true;
            return handle;
        }
    }

    /// <summary>Marks one blob written; true when it was the last.</summary>
    public bool BlobDone(int count = 1) => Interlocked.Add(ref _remaining, -count) == 0;

    /// <summary>Marks the file as incomplete; true the first time.</summary>
    public bool Fail() => Interlocked.Exchange(ref _failed, 1) == 0;
}
