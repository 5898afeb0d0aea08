namespace Cairn.Storage.Tests;

/// <summary>A store in memory that flips a byte of the next <see cref="BadWritesLeft"/> objects written, as failing media would.</summary>
internal sealed class CorruptingStorage : IStorage
{
    private readonly MemoryStorage _inner = new();

    public int BadWritesLeft { get; set; }

    public string Location => _inner.Location;

    public Task CreateAsync(CancellationToken ct = default) => _inner.CreateAsync(ct);

    public IAsyncEnumerable<StoredObject> ListAsync(ObjectKind kind, CancellationToken ct = default) => _inner.ListAsync(kind, ct);

    public Task<StoredObject?> StatAsync(ObjectName name, CancellationToken ct = default) => _inner.StatAsync(name, ct);

    public Task<int> ReadAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken ct = default) => _inner.ReadAsync(name, offset, buffer, ct);

    public Task WriteAsync(ObjectName name, ReadOnlyMemory<byte> content, CancellationToken ct = default)
    {
        if (BadWritesLeft > 0 && content.Length > 0)
        {
            BadWritesLeft--;
            var damaged = content.ToArray();
            damaged[^1] ^= 0x40;
            return _inner.WriteAsync(name, damaged, ct);
        }
        return _inner.WriteAsync(name, content, ct);
    }

    public Task DeleteAsync(ObjectName name, CancellationToken ct = default) => _inner.DeleteAsync(name, ct);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
