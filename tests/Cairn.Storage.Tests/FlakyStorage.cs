namespace Cairn.Storage.Tests;

/// <summary>A store in memory whose next <see cref="FailuresLeft"/> operations fail with the given kind.</summary>
internal sealed class FlakyStorage : IStorage
{
    private readonly MemoryStorage _inner = new();

    public int FailuresLeft { get; set; }
    public StorageErrorKind FailureKind { get; set; } = StorageErrorKind.Transient;
    public int Calls { get; private set; }

    public string Location => _inner.Location;

    public Task CreateAsync(CancellationToken ct = default) => Run(() => _inner.CreateAsync(ct));

    public async IAsyncEnumerable<StoredObject> ListAsync(ObjectKind kind, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await Run(() => Task.CompletedTask);
        await foreach (var o in _inner.ListAsync(kind, ct))
            yield return o;
    }

    public Task<StoredObject?> StatAsync(ObjectName name, CancellationToken ct = default) => Run(() => _inner.StatAsync(name, ct));

    public Task<int> ReadAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken ct = default) => Run(() => _inner.ReadAsync(name, offset, buffer, ct));

    public Task WriteAsync(ObjectName name, ReadOnlyMemory<byte> content, CancellationToken ct = default) => Run(() => _inner.WriteAsync(name, content, ct));

    public Task DeleteAsync(ObjectName name, CancellationToken ct = default) => Run(() => _inner.DeleteAsync(name, ct));

    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    private Task<T> Run<T>(Func<Task<T>> operation)
    {
        Calls++;
        if (FailuresLeft > 0)
        {
            FailuresLeft--;
            throw new StorageException(FailureKind, "the connection dropped");
        }
        return operation();
    }

    private Task Run(Func<Task> operation) => Run(async () => { await operation(); return true; });
}
