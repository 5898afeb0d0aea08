using Microsoft.Win32.SafeHandles;

namespace Cairn.Storage;

/// <summary>
/// A <see cref="LocalStorage"/> object being written: a temporary file in its kind's directory, written with
/// pwrite at offsets, then flushed (and, for a pack, dropped from the page cache), renamed over the target and
/// made durable by flushing the target's directory.
/// </summary>
internal sealed class LocalObjectDraft : IObjectDraft
{
    private readonly LocalStorage _store;
    private readonly string _temp;
    private readonly string _what;
    private readonly SafeFileHandle _handle;
    private readonly bool _uncached;
    private bool _committed;

    /// <summary>
    /// A draft in <paramref name="temp"/>; <paramref name="what"/> names the object in messages ("a new pack in
    /// /srv/repo"). With <paramref name="uncached"/> the object leaves the page cache once committed.
    /// </summary>
    public LocalObjectDraft(LocalStorage store, string temp, string what, bool uncached)
    {
        _store = store;
        _temp = temp;
        _what = what;
        _uncached = uncached;
        _handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
    }

    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        LocalStorage.WriteAt(_handle, data, offset, $"cannot write {_what}");
    }

    public long Length => RandomAccess.GetLength(_handle);

    public int Read(long offset, Span<byte> buffer) => LocalStorage.ReadAt(_handle, offset, buffer, $"cannot read back {_what}");

    public Task CommitAsync(ObjectName name, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_committed, this);
        var target = _store.PathOf(name);
        try
        {
            RandomAccess.FlushToDisk(_handle);
            if (_uncached)
                PageCache.Drop(_handle);
            _handle.Dispose();
            LocalStorage.MoveIntoPlace(_temp, target);
            _committed = true;
            return Task.CompletedTask;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LocalStorage.Classify(e, $"cannot write {name} in {_store.Location}");
        }
    }

    public void Dispose()
    {
        _handle.Dispose();
        if (!_committed)
            LocalStorage.TryDelete(_temp);
    }
}
