using Microsoft.Win32.SafeHandles;

namespace Cairn.Storage;

/// <summary>
/// A draft for a store that takes only whole objects (SFTP, S3, a Cairn server): written in pieces into a file in a
/// local spool directory, then uploaded from that file by <see cref="IStorage.WriteAsync(ObjectName, IObjectContent, CancellationToken)"/>,
/// so that a pack waiting for its upload lies in the page cache, not in memory. The file has no name from the
/// start (it is unlinked as soon as it is open), so that nothing is left behind, not even after a crash.
/// </summary>
public sealed class SpooledObjectDraft : IObjectDraft
{
    private readonly IStorage _storage;
    private readonly string _what;
    private readonly FileStream _file;
    private readonly SafeFileHandle _handle;
    private bool _committed;

    /// <summary>Starts a draft for <paramref name="storage"/> in <paramref name="directory"/>.</summary>
    /// <exception cref="StorageException">When the spool directory cannot take a file.</exception>
    public SpooledObjectDraft(IStorage storage, string directory)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _storage = storage;
        _what = $"an upload to {storage.Location} in {TemporaryDirectory.Describe(directory)}";
        try
        {
            _file = NamelessFile.Create(directory, "cairn-spool-");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LocalStorage.Classify(e, $"cannot spool {_what}");
        }
        _handle = _file.SafeFileHandle;
    }

    /// <summary>How far the furthest piece written so far reaches: the spool file's length.</summary>
    public long Length => RandomAccess.GetLength(_handle);

    /// <inheritdoc/>
    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        LocalStorage.WriteAt(_handle, data, offset, $"cannot spool {_what}");
    }

    /// <inheritdoc/>
    public int Read(long offset, Span<byte> buffer) => LocalStorage.ReadAt(_handle, offset, buffer, $"cannot read back {_what}");

    /// <inheritdoc/>
    public async Task CommitAsync(ObjectName name, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        await _storage.WriteAsync(name, this, ct).ConfigureAwait(false);
        _committed = true;
        _file.Dispose();
    }

    /// <inheritdoc/>
    public void Dispose() => _file.Dispose();
}
