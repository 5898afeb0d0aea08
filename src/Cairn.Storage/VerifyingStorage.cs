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
    public override async Task WriteAsync(ObjectName name, ReadOnlyMemory<byte> content, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WriteAndCompareAsync(name, content, ct).ConfigureAwait(false);
                return;
            }
            catch (StorageException e) when (e.Kind == StorageErrorKind.Transient && attempt < Attempts)
            {
                // Written again below.
            }
        }
    }

    private async Task WriteAndCompareAsync(ObjectName name, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        await Inner.WriteAsync(name, content, ct).ConfigureAwait(false);
        var stored = await Inner.StatAsync(name, ct).ConfigureAwait(false);
        if (stored is not { } s || s.Length != content.Length)
            throw new StorageException(StorageErrorKind.Transient,
                $"{name} was written but reads back as {(stored is { } x ? $"{x.Length} bytes instead of {content.Length}" : "missing")}");
        var back = new byte[content.Length];
        await Inner.ReadExactlyAsync(name, 0, back, ct).ConfigureAwait(false);
        if (!content.Span.SequenceEqual(back))
            throw new StorageException(StorageErrorKind.Transient, $"{name} was written but reads back different");
    }
}
