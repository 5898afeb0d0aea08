using System.Buffers;

namespace Cairn.Storage;

/// <summary>Whole-object reads built on the ranged read of <see cref="IStorage"/>, and what stores share to write.</summary>
public static class StorageExtensions
{
    private const int ComparePieceLength = 1024 * 1024;

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

    /// <summary>
    /// Starts an object of <paramref name="kind"/> to be written in pieces: in place where the store keeps drafts (a
    /// local disk), else in a spool file in the temporary directory (<c>TMPDIR</c>) that is uploaded on commit.
    /// </summary>
    public static IObjectDraft StartDraftOrSpool(this IStorage storage, ObjectKind kind)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return storage.StartDraft(kind) ?? new SpooledObjectDraft(storage, Path.GetTempPath());
    }

    /// <summary>
    /// True when the stored object <paramref name="name"/> begins with the bytes of <paramref name="content"/> (callers
    /// compare lengths first), compared a piece at a time so that neither is held in memory whole.
    /// </summary>
    public static async Task<bool> HoldsAsync(this IStorage storage, ObjectName name, IObjectContent content, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(content);
        var total = content.Length;
        var stored = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(total, 1, ComparePieceLength));
        var expected = ArrayPool<byte>.Shared.Rent(stored.Length);
        try
        {
            for (long offset = 0; offset < total;)
            {
                var length = (int)Math.Min(stored.Length, total - offset);
                await storage.ReadExactlyAsync(name, offset, stored.AsMemory(0, length), ct).ConfigureAwait(false);
                content.ReadExactly(offset, expected.AsSpan(0, length));
                if (!expected.AsSpan(0, length).SequenceEqual(stored.AsSpan(0, length)))
                    return false;
                offset += length;
            }
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(stored);
            ArrayPool<byte>.Shared.Return(expected);
        }
    }

    /// <summary>Reads a whole <see cref="IObjectContent"/> into a new array.</summary>
    public static byte[] ToArray(this IObjectContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Length > Array.MaxLength)
            throw new StorageException(StorageErrorKind.Permanent, $"an object of {content.Length} bytes is too large to hold in memory");
        var all = new byte[content.Length];
        content.ReadExactly(0, all);
        return all;
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/> of <paramref name="content"/>, failing when it is shorter.</summary>
    public static void ReadExactly(this IObjectContent content, long offset, Span<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(content);
        for (var done = 0; done < buffer.Length;)
        {
            var n = content.Read(offset + done, buffer[done..]);
            if (n == 0)
                throw new StorageException(StorageErrorKind.Permanent, $"an object's content ended at {offset + done} of {content.Length} bytes");
            done += n;
        }
    }

    /// <summary>An object's content as a read-only stream for an upload API, without copying when it lies in an array.</summary>
    public static MemoryStream AsReadOnlyStream(this ReadOnlyMemory<byte> content) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
}
