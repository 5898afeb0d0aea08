namespace Cairn.Storage;

/// <summary>
/// A flat object store holding a repository: the only thing a backend has to provide.
/// </summary>
/// <remarks>
/// <para>Semantics every implementation guarantees (the conformance suite checks them):</para>
/// <list type="bullet">
/// <item><description>A write is atomic: a reader sees either no object or the whole
/// object, never part of it, also after a crash. When it returns, the object is durable.</description></item>
/// <item><description>Read-after-write: once a write returned, <see cref="ReadAsync"/>,
/// <see cref="StatAsync"/> and <see cref="ListAsync"/> see the object.</description></item>
/// <item><description>Writing an existing name replaces the object atomically. Cairn only does that for
/// content-addressed names, where old and new content are the same.</description></item>
/// <item><description>Deleting a name that does not exist succeeds.</description></item>
/// <item><description>Failures are <see cref="StorageException"/>s whose kind says whether to retry.</description></item>
/// </list>
/// </remarks>
public interface IStorage : IAsyncDisposable
{
    /// <summary>A human-readable location, e.g. a directory path or URL, without secrets.</summary>
    string Location { get; }

    /// <summary>
    /// How many object writes are worth running at once: one keeps a local disk busy, while each write to a
    /// remote store spends most of its time waiting on the network.
    /// </summary>
    int ParallelWrites => 1;

    /// <summary>
    /// Removes what writes that a crash or a dropped connection interrupted left behind (temporary names older
    /// than <paramref name="olderThan"/>); returns how many. Stores whose writes leave nothing behind do nothing.
    /// </summary>
    Task<int> RemoveStaleTemporaryFilesAsync(TimeSpan olderThan, CancellationToken ct = default) => Task.FromResult(0);

    /// <summary>True when <see cref="OverwriteWithZerosAsync"/> overwrites an object's bytes where they lie (a file system).</summary>
    bool CanOverwriteInPlace => false;

    /// <summary>
    /// Overwrites an existing object's bytes with zeros where they lie and makes that durable, for users whose policy
    /// asks for more than deallocation before a delete (<c>prune --overwrite-freed</c>). Only where
    /// <see cref="CanOverwriteInPlace"/>; a missing object is left alone.
    /// </summary>
    Task OverwriteWithZerosAsync(ObjectName name, CancellationToken ct = default) =>
        throw new NotSupportedException($"{Location} cannot overwrite objects in place");

    /// <summary>Prepares an empty store for a new repository (directories, a bucket prefix); safe to repeat.</summary>
    Task CreateAsync(CancellationToken ct = default);

    /// <summary>Lists every object of one kind, in no particular order.</summary>
    IAsyncEnumerable<StoredObject> ListAsync(ObjectKind kind, CancellationToken ct = default);

    /// <summary>Returns the object's length, or null when it does not exist.</summary>
    Task<StoredObject?> StatAsync(ObjectName name, CancellationToken ct = default);

    /// <summary>
    /// Reads up to <c>buffer.Length</c> bytes starting at <paramref name="offset"/> and returns how many were
    /// read; fewer only at the end of the object.
    /// </summary>
    /// <exception cref="StorageException">With <see cref="StorageErrorKind.NotFound"/> when the object does not exist.</exception>
    Task<int> ReadAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken ct = default);

    /// <summary>Stores an object atomically and durably.</summary>
    Task WriteAsync(ObjectName name, ReadOnlyMemory<byte> content, CancellationToken ct = default);

    /// <summary>
    /// Stores an object read from <paramref name="content"/>, atomically and durably like the write of a buffer. Stores
    /// that send data as it is read override it (a remote store streams it, a local one copies it in pieces); by
    /// default the content is read into memory whole.
    /// </summary>
    Task WriteAsync(ObjectName name, IObjectContent content, CancellationToken ct = default) =>
        WriteAsync(name, content.ToArray(), ct);

    /// <summary>
    /// Starts an object of <paramref name="kind"/> to be written in pieces, where the store can keep one in place (a
    /// file system); null where it takes only whole objects (<see cref="StorageExtensions.StartDraftOrSpool"/> then
    /// spools the pieces to a local file).
    /// </summary>
    IObjectDraft? StartDraft(ObjectKind kind) => null;

    /// <summary>Removes an object; succeeds when it does not exist.</summary>
    Task DeleteAsync(ObjectName name, CancellationToken ct = default);
}
