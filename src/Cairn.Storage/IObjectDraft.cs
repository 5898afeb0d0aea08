namespace Cairn.Storage;

/// <summary>
/// An object being written in pieces, at any offset and from several threads at once, that becomes visible under
/// its name only when committed, atomically and durably as <see cref="IStorage.WriteAsync(ObjectName, ReadOnlyMemory{byte}, CancellationToken)"/> stores one. Lets a
/// writer build a pack where the store keeps it (a file) instead of in memory. Disposing a draft that was not
/// committed removes what was written.
/// </summary>
public interface IObjectDraft : IDisposable
{
    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/>.</summary>
    void Write(long offset, ReadOnlySpan<byte> data);

    /// <summary>Reads what was written, up to <c>buffer.Length</c> bytes from <paramref name="offset"/>; returns how many (fewer only at the end).</summary>
    int Read(long offset, Span<byte> buffer);

    /// <summary>Stores the draft under <paramref name="name"/>, replacing an object of that name; the draft cannot be written afterwards.</summary>
    Task CommitAsync(ObjectName name, CancellationToken ct = default);
}
