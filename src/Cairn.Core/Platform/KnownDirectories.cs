using System.Diagnostics.CodeAnalysis;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Platform;

/// <summary>
/// The directories a <see cref="ConfinedDirectory"/> made or took in, by their path below it: each one's status
/// (device and inode), so that another directory put in its place is told apart from it, and open handles on the most
/// recently used ones, so that an entry made in a directory costs no lookup of the directory's path. A handle stays
/// on the directory it was opened on wherever that directory is moved. Safe for concurrent use.
/// </summary>
internal sealed class KnownDirectories(int capacity) : IDisposable
{
    private readonly Dictionary<byte[], Known> _known = new(PathKeyComparer.Instance);
    private readonly LinkedList<Known> _open = []; // most recently used first
    private readonly Lock _lock = new();

    /// <summary>
    /// Records the directory at <paramref name="relative"/> as <paramref name="status"/> describes it and keeps
    /// <paramref name="handle"/>, open on it, for <see cref="TryLease"/>; the handle is this object's from now on.
    /// </summary>
    public void Add(ReadOnlySpan<byte> relative, FileStatus status, SafeFileHandle handle)
    {
        lock (_lock)
        {
            var lookup = _known.GetAlternateLookup<ReadOnlySpan<byte>>();
            if (lookup.TryGetValue(relative, out var old))
                Close(old);
            var known = new Known(status);
            lookup[relative] = known;
            Keep(known, handle);
        }
    }

    /// <summary>The status the directory recorded at <paramref name="relative"/> had when it was recorded; false when none is.</summary>
    public bool TryGet(ReadOnlySpan<byte> relative, [NotNullWhen(true)] out FileStatus? status) => Find(relative, lease: false, out status, out _);

    /// <summary>
    /// <see cref="TryGet"/>, with an open handle on the directory when one is kept, referenced for the caller until it
    /// calls <see cref="System.Runtime.InteropServices.SafeHandle.DangerousRelease"/>.
    /// </summary>
    public bool TryLease(ReadOnlySpan<byte> relative, [NotNullWhen(true)] out FileStatus? status, out SafeFileHandle? handle) =>
        Find(relative, lease: true, out status, out handle);

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
            if (_known.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(relative, out var known))
            {
                Close(known);
                Keep(known, handle);
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
                Close(first.Value);
        }
    }

    private bool Find(ReadOnlySpan<byte> relative, bool lease, [NotNullWhen(true)] out FileStatus? status, out SafeFileHandle? handle)
    {
        handle = null;
        lock (_lock)
        {
            if (!_known.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(relative, out var known))
            {
                status = null;
                return false;
            }
            status = known.Status;
            if (!lease || known.Handle is null)
                return true;
            if (known.Node is { } node && node != _open.First)
            {
                _open.Remove(node);
                _open.AddFirst(node);
            }
            var added = false;
            known.Handle.DangerousAddRef(ref added);
            handle = known.Handle;
            return true;
        }
    }

    private void Keep(Known known, SafeFileHandle handle)
    {
        known.Handle = handle;
        known.Node = _open.AddFirst(known);
        if (_open.Count > capacity && _open.Last is { } last)
            Close(last.Value); // a handle still leased is closed when its last lease ends
    }

    private void Close(Known known)
    {
        if (known.Node is { } node)
            _open.Remove(node);
        known.Node = null;
        known.Handle?.Dispose();
        known.Handle = null;
    }

    private sealed class Known(FileStatus status)
    {
        public FileStatus Status { get; } = status;

        public SafeFileHandle? Handle { get; set; }

        public LinkedListNode<Known>? Node { get; set; }
    }
}
