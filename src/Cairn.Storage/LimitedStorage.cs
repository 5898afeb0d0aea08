namespace Cairn.Storage;

/// <summary>Keeps uploads and downloads under a rate (<c>--limit-upload</c>, <c>--limit-download</c>).</summary>
public sealed class LimitedStorage(IStorage inner, BandwidthLimit? upload, BandwidthLimit? download) : IStorage
{
    /// <inheritdoc/>
    public string Location => inner.Location;

    /// <inheritdoc/>
    public int ParallelWrites => inner.ParallelWrites;

    /// <inheritdoc/>
    public Task<int> RemoveStaleTemporaryFilesAsync(TimeSpan olderThan, CancellationToken ct = default) => inner.RemoveStaleTemporaryFilesAsync(olderThan, ct);

    /// <inheritdoc/>
    public Task CreateAsync(CancellationToken ct = default) => inner.CreateAsync(ct);

    /// <inheritdoc/>
    public IAsyncEnumerable<StoredObject> ListAsync(ObjectKind kind, CancellationToken ct = default) => inner.ListAsync(kind, ct);

    /// <inheritdoc/>
    public Task<StoredObject?> StatAsync(ObjectName name, CancellationToken ct = default) => inner.StatAsync(name, ct);

    /// <inheritdoc/>
    public async Task<int> ReadAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        if (download is not null)
            await download.WaitAsync(buffer.Length, ct).ConfigureAwait(false);
        return await inner.ReadAsync(name, offset, buffer, ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task WriteAsync(ObjectName name, ReadOnlyMemory<byte> content, CancellationToken ct = default)
    {
        if (upload is not null)
            await upload.WaitAsync(content.Length, ct).ConfigureAwait(false);
        await inner.WriteAsync(name, content, ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task DeleteAsync(ObjectName name, CancellationToken ct = default) => inner.DeleteAsync(name, ct);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
