namespace Cairn.Storage;

/// <summary>
/// An object being written in pieces, at any offset and from several threads at once, that becomes visible under
/// its name only when committed, atomically and durably as <see cref="IStorage.WriteAsync(ObjectName, ReadOnlyMemory{byte}, CancellationToken)"/> stores one. Lets a
/// writer build a pack where the store keeps it (a file) instead of in memory. Disposing a draft that was not
/// committed removes what was written. As <see cref="IObjectContent"/> it reads back what was written: its length
/// is how far the furthest piece reaches.
/// </summary>
public interface IObjectDraft : IObjectContent, IDisposable
{
    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/>.</summary>
    void Write(long offset, ReadOnlySpan<byte> data);

    /// <summary>Stores the draft under <paramref name="name"/>, replacing an object of that name; the draft cannot be written afterwards.</summary>
    Task CommitAsync(ObjectName name, CancellationToken ct = default);
}
