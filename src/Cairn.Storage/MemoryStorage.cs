using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Cairn.Storage;

/// <summary>A store held in memory, for unit tests only: it forgets everything when disposed.</summary>
public sealed class MemoryStorage : IStorage
{
    private readonly ConcurrentDictionary<ObjectName, byte[]> _objects = new();

    /// <inheritdoc/>
    public bool CanOverwriteInPlace => true;

    /// <inheritdoc/>
    public Task OverwriteWithZerosAsync(ObjectName name, CancellationToken ct = default)
    {
        if (_objects.TryGetValue(name, out var content))
            Array.Clear(content);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public string Location => "memory:";

    /// <inheritdoc/>
    public Task CreateAsync(CancellationToken ct = default) => Task.CompletedTask;

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredObject> ListAsync(ObjectKind kind, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await Task.Yield();
        foreach (var (name, content) in _objects)
        {
            ct.ThrowIfCancellationRequested();
            if (name.Kind == kind)
                yield return new StoredObject(name, content.Length);
        }
    }

    /// <inheritdoc/>
    public Task<StoredObject?> StatAsync(ObjectName name, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult<StoredObject?>(_objects.TryGetValue(name, out var c) ? new StoredObject(name, c.Length) : null);
    }

    /// <inheritdoc/>
    public Task<int> ReadAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (!_objects.TryGetValue(name, out var content))
            throw StorageException.NotFound(name);
        if (offset >= content.Length)
            return Task.FromResult(0);
        var n = (int)Math.Min(buffer.Length, content.Length - offset);
        content.AsMemory((int)offset, n).CopyTo(buffer);
        return Task.FromResult(n);
    }

    /// <inheritdoc/>
    public Task WriteAsync(ObjectName name, ReadOnlyMemory<byte> content, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        _objects[name] = content.ToArray();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task DeleteAsync(ObjectName name, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        _objects.TryRemove(name, out _);
        return Task.CompletedTask;
    }

    /// <summary>Replaces an object's bytes directly, bypassing atomic-write semantics: for fault-injection tests.</summary>
    public void Tamper(ObjectName name, Func<byte[], byte[]> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _objects[name] = change(_objects[name]);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _objects.Clear();
        return ValueTask.CompletedTask;
    }
}
