namespace Cairn.Storage;

/// <summary>
/// Reads every object back after writing it and compares it byte by byte (<c>--verify-after-write</c>), for
/// media that are slow or unreliable. A difference is a transient failure: the retry layer writes it again.
/// </summary>
public sealed class VerifyingStorage(IStorage inner) : IStorage
{
    /// <inheritdoc/>
    public string Location => inner.Location;

    /// <inheritdoc/>
    public int ParallelWrites => inner.ParallelWrites;

    /// <inheritdoc/>
    public Task CreateAsync(CancellationToken ct = default) => inner.CreateAsync(ct);

    /// <inheritdoc/>
    public IAsyncEnumerable<StoredObject> ListAsync(ObjectKind kind, CancellationToken ct = default) => inner.ListAsync(kind, ct);

    /// <inheritdoc/>
    public Task<StoredObject?> StatAsync(ObjectName name, CancellationToken ct = default) => inner.StatAsync(name, ct);

    /// <inheritdoc/>
    public Task<int> ReadAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken ct = default) =>
        inner.ReadAsync(name, offset, buffer, ct);

    /// <inheritdoc/>
    public async Task WriteAsync(ObjectName name, ReadOnlyMemory<byte> content, CancellationToken ct = default)
    {
        await inner.WriteAsync(name, content, ct).ConfigureAwait(false);
        var stored = await inner.StatAsync(name, ct).ConfigureAwait(false);
        if (stored is not { } s || s.Length != content.Length)
            throw new StorageException(StorageErrorKind.Transient,
                $"{name} was written but reads back as {(stored is { } x ? $"{x.Length} bytes instead of {content.Length}" : "missing")}");
        var back = new byte[content.Length];
        await inner.ReadExactlyAsync(name, 0, back, ct).ConfigureAwait(false);
        if (!content.Span.SequenceEqual(back))
            throw new StorageException(StorageErrorKind.Transient, $"{name} was written but reads back different");
    }

    /// <inheritdoc/>
    public Task DeleteAsync(ObjectName name, CancellationToken ct = default) => inner.DeleteAsync(name, ct);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
