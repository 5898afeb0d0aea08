namespace Cairn.Storage;

/// <summary>Keeps uploads and downloads under a rate (<c>--limit-upload</c>, <c>--limit-download</c>).</summary>
public sealed class LimitedStorage(IStorage inner, BandwidthLimit? upload, BandwidthLimit? download) : StorageDecorator(inner)
{
    /// <inheritdoc/>
    public override async Task<int> ReadAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        if (download is not null)
            await download.WaitAsync(buffer.Length, ct).ConfigureAwait(false);
        return await Inner.ReadAsync(name, offset, buffer, ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task WriteAsync(ObjectName name, ReadOnlyMemory<byte> content, CancellationToken ct = default)
    {
        if (upload is not null)
            await upload.WaitAsync(content.Length, ct).ConfigureAwait(false);
        await Inner.WriteAsync(name, content, ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task WriteAsync(ObjectName name, IObjectContent content, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (upload is not null)
            await upload.WaitAsync(content.Length, ct).ConfigureAwait(false);
        await Inner.WriteAsync(name, content, ct).ConfigureAwait(false);
    }
}
