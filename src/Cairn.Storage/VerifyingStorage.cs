namespace Cairn.Storage;

/// <summary>
/// Reads every object back after writing it and compares it byte by byte (<c>--verify-after-write</c>), for
/// media that are slow or unreliable. An object that reads back different is written again, up to
/// <see cref="Attempts"/> times in all; then the write fails as transient (a remote store's retries go on).
/// On a local disk the read-back may come from the page cache rather than the medium.
/// </summary>
public sealed class VerifyingStorage(IStorage inner) : StorageDecorator(inner)
{
    /// <summary>Writes of one object before a difference is reported.</summary>
    public const int Attempts = 3;

    /// <inheritdoc/>
    public override Task WriteAsync(ObjectName name, ReadOnlyMemory<byte> content, CancellationToken ct = default) =>
        WriteAndVerifyAsync(name, new MemoryObjectContent(content), () => Inner.WriteAsync(name, content, ct), ct);

    /// <inheritdoc/>
    public override Task WriteAsync(ObjectName name, IObjectContent content, CancellationToken ct = default) =>
        WriteAndVerifyAsync(name, content, () => Inner.WriteAsync(name, content, ct), ct);

    private async Task WriteAndVerifyAsync(ObjectName name, IObjectContent content, Func<Task> write, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await write().ConfigureAwait(false);
                await CompareAsync(name, content, ct).ConfigureAwait(false);
                return;
            }
            catch (StorageException e) when (e.Kind == StorageErrorKind.Transient && attempt < Attempts)
            {
                // Written again.
            }
        }
    }

    private async Task CompareAsync(ObjectName name, IObjectContent content, CancellationToken ct)
    {
        var stored = await Inner.StatAsync(name, ct).ConfigureAwait(false);
        if (stored is not { } s || s.Length != content.Length)
            throw new StorageException(StorageErrorKind.Transient,
                $"{name} was written but reads back as {(stored is { } x ? $"{x.Length} bytes instead of {content.Length}" : "missing")}");
        if (!await Inner.HoldsAsync(name, content, ct).ConfigureAwait(false))
            throw new StorageException(StorageErrorKind.Transient, $"{name} was written but reads back different");
    }
}
