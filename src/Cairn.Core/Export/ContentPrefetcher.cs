using Cairn.Core.Format;
using Cairn.Core.Repository;

namespace Cairn.Core.Export;

/// <summary>
/// Loads the blobs of the files an export is about to write, ahead of the writer and several at a time, but never
/// more than a fixed number held at once: the writer releases each blob as it moves past it.
/// </summary>
public sealed class ContentPrefetcher : IDisposable
{
    private readonly IBlobLoader _loader;
    private readonly SemaphoreSlim _slots;

    /// <summary>Creates a prefetcher that holds at most <paramref name="blobsAhead"/> blobs.</summary>
    public ContentPrefetcher(IBlobLoader loader, int blobsAhead)
    {
        _loader = loader;
        _slots = new SemaphoreSlim(blobsAhead, blobsAhead);
    }

    /// <summary>A file's content, to hand to the writer before <see cref="FeedAsync"/> fills it.</summary>
    public FileContent Create(Action<Exception> onDamage) => new(_slots, onDamage);

    /// <summary>
    /// Starts loading <paramref name="blobs"/> into <paramref name="content"/>, in order; returns once the last has
    /// started. Files must be fed in the order the writer takes them, one after another.
    /// </summary>
    public async Task FeedAsync(FileContent content, IReadOnlyList<BlobId> blobs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(blobs);
        try
        {
            foreach (var id in blobs)
            {
                await _slots.WaitAsync(ct).ConfigureAwait(false);
                var length = _loader.Index.TryGet(id, out var entry) ? (int)entry.RawLength : 0;
                content.Add(Task.Run(() => _loader.LoadBlobAsync(id, ct), ct), length);
            }
            content.Complete();
        }
        catch (OperationCanceledException e)
        {
            content.Complete(e);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _slots.Dispose();
}
