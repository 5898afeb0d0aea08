namespace Cairn.Storage;

/// <summary>
/// A store that wraps another and hands every operation on to it; a decorator overrides only what it changes
/// (retries, limits, verification).
/// </summary>
public abstract class StorageDecorator(IStorage inner) : IStorage
{
    /// <summary>The store below.</summary>
    public IStorage Inner { get; } = inner;

    /// <inheritdoc/>
    public virtual string Location => Inner.Location;

    /// <inheritdoc/>
    public virtual int ParallelWrites => Inner.ParallelWrites;

    /// <inheritdoc/>
    public virtual Task<int> RemoveStaleTemporaryFilesAsync(TimeSpan olderThan, CancellationToken ct = default) =>
        Inner.RemoveStaleTemporaryFilesAsync(olderThan, ct);

    /// <inheritdoc/>
    public virtual bool CanOverwriteInPlace => Inner.CanOverwriteInPlace;

    /// <inheritdoc/>
    public virtual Task OverwriteWithZerosAsync(ObjectName name, CancellationToken ct = default) => Inner.OverwriteWithZerosAsync(name, ct);

    /// <inheritdoc/>
    public virtual Task CreateAsync(CancellationToken ct = default) => Inner.CreateAsync(ct);

    /// <inheritdoc/>
    public virtual IAsyncEnumerable<StoredObject> ListAsync(ObjectKind kind, CancellationToken ct = default) => Inner.ListAsync(kind, ct);

    /// <inheritdoc/>
    public virtual Task<StoredObject?> StatAsync(ObjectName name, CancellationToken ct = default) => Inner.StatAsync(name, ct);

    /// <inheritdoc/>
    public virtual Task<int> ReadAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken ct = default) =>
        Inner.ReadAsync(name, offset, buffer, ct);

    /// <inheritdoc/>
    public virtual Task WriteAsync(ObjectName name, ReadOnlyMemory<byte> content, CancellationToken ct = default) => Inner.WriteAsync(name, content, ct);

    /// <summary>
    /// By default the content is read into memory and handed to <see cref="WriteAsync(ObjectName, ReadOnlyMemory{byte}, CancellationToken)"/>,
    /// so that a decorator that changes writes sees every one; decorators that can pass content on in pieces override it.
    /// </summary>
    public virtual Task WriteAsync(ObjectName name, IObjectContent content, CancellationToken ct = default) =>
        WriteAsync(name, content.ToArray(), ct);

    /// <summary>
    /// None by default: a decorator that changes how objects are written (retries, limits, reading back) sees only
    /// whole objects, so that what it does applies to every one.
    /// </summary>
    public virtual IObjectDraft? StartDraft(ObjectKind kind) => null;

    /// <inheritdoc/>
    public virtual Task DeleteAsync(ObjectName name, CancellationToken ct = default) => Inner.DeleteAsync(name, ct);

    /// <inheritdoc/>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Inner.DisposeAsync();
    }
}
