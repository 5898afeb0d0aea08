namespace Cairn.Storage;

/// <summary>Whole-object reads built on the ranged read of <see cref="IStorage"/>, and what stores share to write.</summary>
public static class StorageExtensions
{
    /// <summary>Reads a whole object into a new array.</summary>
    public static async Task<byte[]> ReadAllAsync(this IStorage storage, ObjectName name, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var stat = await storage.StatAsync(name, ct).ConfigureAwait(false) ?? throw StorageException.NotFound(name);
        if (stat.Length > Array.MaxLength)
            throw new StorageException(StorageErrorKind.Permanent, $"{name} is too large to read at once ({stat.Length} bytes)");
        var buffer = new byte[stat.Length];
        await storage.ReadExactlyAsync(name, 0, buffer, ct).ConfigureAwait(false);
        return buffer;
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/>, failing when the object is shorter.</summary>
    public static async Task ReadExactlyAsync(this IStorage storage, ObjectName name, long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var done = 0;
        while (done < buffer.Length)
        {
            var n = await storage.ReadAsync(name, offset + done, buffer[done..], ct).ConfigureAwait(false);
            if (n == 0)
                throw new StorageException(StorageErrorKind.Permanent,
                    $"{name} is truncated: expected {offset + buffer.Length} bytes, found {offset + done}");
            done += n;
        }
    }

    /// <summary>An object's content as a read-only stream for an upload API, without copying when it lies in an array.</summary>
    public static MemoryStream AsReadOnlyStream(this ReadOnlyMemory<byte> content) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
}
