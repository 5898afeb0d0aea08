using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Platform;

/// <summary>
/// The directories a <see cref="ConfinedDirectory"/> made or took in, by their path below it: what tells each one
/// apart from another directory put in its place (<see cref="EntryIdentity"/>, a small value, so that many
/// directories cost little), and open handles on the most recently used ones, so that an entry made in a directory
/// costs no lookup of the directory's path. A handle stays on the directory it was opened on wherever that directory
/// is moved. Safe for concurrent use.
/// </summary>
internal sealed class KnownDirectories(int capacity) : IDisposable
{
    private readonly Dictionary<byte[], EntryIdentity> _known = new(PathKeyComparer.Instance);
    private readonly Dictionary<byte[], LinkedListNode<OpenDirectory>> _openByPath = new(PathKeyComparer.Instance);
    private readonly LinkedList<OpenDirectory> _open = []; // most recently used first
    private readonly Lock _lock = new();

    /// <summary>
    /// Records the directory at <paramref name="relative"/> as <paramref name="status"/> describes it and keeps
    /// <paramref name="handle"/>, open on it, for <see cref="TryLease"/>; the handle is this object's from now on.
    /// </summary>
    public void Add(ReadOnlySpan<byte> relative, FileStatus status, SafeFileHandle handle)
    {
        var known = EntryIdentity.Of(status);
        lock (_lock)
        {
            var lookup = _known.GetAlternateLookup<ReadOnlySpan<byte>>();
            if (!lookup.TryGetValue(relative, out var path, out _))
                path = relative.ToArray();
            _known[path] = known;
            Close(path);
            Keep(path, handle);
        }
    }

    /// <summary>What was recorded of the directory at <paramref name="relative"/>; false when nothing is.</summary>
    public bool TryGet(ReadOnlySpan<byte> relative, out EntryIdentity known) => Find(relative, lease: false, out known, out _);

    /// <summary>
    /// <see cref="TryGet"/>, with an open handle on the directory when one is kept, referenced for the caller until it
    /// calls <see cref="System.Runtime.InteropServices.SafeHandle.DangerousRelease"/>.
    /// </summary>
    public bool TryLease(ReadOnlySpan<byte> relative, out EntryIdentity known, out SafeFileHandle? handle) =>
        Find(relative, lease: true, out known, out handle);

    /// <summary>
    /// Keeps <paramref name="handle"/>, found to be open on the directory recorded at <paramref name="relative"/>,
    /// for later leases, and returns it leased as <see cref="TryLease"/> does; the handle is this object's from now on.
    /// </summary>
    public SafeFileHandle KeepLeased(ReadOnlySpan<byte> relative, SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var added = false;
        handle.DangerousAddRef(ref added);
        lock (_lock)
        {
            if (_known.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(relative, out var path, out _))
            {
                Close(path);
                Keep(path, handle);
                return handle;
            }
        }
        handle.DangerousRelease();
        throw new InvalidOperationException("not a known directory");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lock)
        {
            while (_open.First is { } first)
                Close(first.Value.Path);
        }
    }

    private bool Find(ReadOnlySpan<byte> relative, bool lease, out EntryIdentity known, out SafeFileHandle? handle)
    {
        handle = null;
        lock (_lock)
        {
            if (!_known.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(relative, out known))
                return false;
            if (!lease || !_openByPath.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(relative, out var node))
                return true;
            if (node != _open.First)
            {
                _open.Remove(node);
                _open.AddFirst(node);
            }
            var added = false;
            node.Value.Handle.DangerousAddRef(ref added);
            handle = node.Value.Handle;
            return true;
        }
    }

    private void Keep(byte[] path, SafeFileHandle handle)
    {
        _openByPath[path] = _open.AddFirst(new OpenDirectory(path, handle));
        if (_open.Count > capacity && _open.Last is { } last)
            Close(last.Value.Path); // a handle still leased is closed when its last lease ends
    }

    /// <summary>Closes the handle kept on the directory at <paramref name="path"/>, if one is.</summary>
    private void Close(byte[] path)
    {
        if (!_openByPath.Remove(path, out var node))
            return;
        _open.Remove(node);
        node.Value.Handle.Dispose();
    }

    private sealed record OpenDirectory(byte[] Path, SafeFileHandle Handle);
}
