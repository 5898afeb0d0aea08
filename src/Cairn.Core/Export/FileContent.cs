using System.Threading.Channels;
using Cairn.Core.Format;

namespace Cairn.Core.Export;

/// <summary>
/// The content of one file as its blobs arrive, in order, loaded ahead by <see cref="ContentPrefetcher"/>;
/// written out in pieces of any length (a file split over volumes is read in several). A blob that cannot be
/// loaded becomes zeros of its length and an error; the file still gets exactly its stored length.
/// </summary>
public sealed class FileContent
{
    private readonly Channel<(Task<byte[]> Load, int Length)> _blobs = Channel.CreateUnbounded<(Task<byte[]>, int)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly SemaphoreSlim _slots;
    private readonly Action<Exception> _onDamage;
    private byte[] _current = [];
    private int _offset;
    private bool _holdsSlot;

    internal FileContent(SemaphoreSlim slots, Action<Exception> onDamage)
    {
        _slots = slots;
        _onDamage = onDamage;
    }

    internal void Add(Task<byte[]> load, int length) => _blobs.Writer.TryWrite((load, length));

    internal void Complete(Exception? error = null) => _blobs.Writer.TryComplete(error);

    /// <summary>Writes the next <paramref name="count"/> bytes of the content to <paramref name="output"/>.</summary>
    public async ValueTask CopyAsync(Stream output, long count, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        while (count > 0)
        {
            if (_offset == _current.Length && !await NextAsync(ct).ConfigureAwait(false))
            {
                await WriteZerosAsync(output, count, ct).ConfigureAwait(false);
                return;
            }
            var n = (int)Math.Min(count, _current.Length - _offset);
            await output.WriteAsync(_current.AsMemory(_offset, n), ct).ConfigureAwait(false);
            _offset += n;
            count -= n;
        }
    }

    /// <summary>Lets the prefetcher go on past blobs this file will not use (after its last byte was written).</summary>
    public async ValueTask DrainAsync(CancellationToken ct)
    {
        while (await NextAsync(ct).ConfigureAwait(false))
        {
        }
        Release();
    }

    private async ValueTask<bool> NextAsync(CancellationToken ct)
    {
        Release();
        if (!await _blobs.Reader.WaitToReadAsync(ct).ConfigureAwait(false) || !_blobs.Reader.TryRead(out var next))
            return false;
        _holdsSlot = true;
        try
        {
            _current = await next.Load.ConfigureAwait(false);
        }
        catch (Exception e) when (e is RepositoryCorruptException or IOException)
        {
            _onDamage(e);
            _current = new byte[next.Length];
        }
        _offset = 0;
        return true;
    }

    private void Release()
    {
        _current = [];
        _offset = 0;
        if (_holdsSlot)
        {
            _holdsSlot = false;
            _slots.Release();
        }
    }

    private static async ValueTask WriteZerosAsync(Stream output, long count, CancellationToken ct)
    {
        var zeros = new byte[(int)Math.Min(count, 1 << 16)];
        while (count > 0)
        {
            var n = (int)Math.Min(count, zeros.Length);
            await output.WriteAsync(zeros.AsMemory(0, n), ct).ConfigureAwait(false);
            count -= n;
        }
    }
}
