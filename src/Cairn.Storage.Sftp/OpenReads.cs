using Renci.SshNet.Sftp;

namespace Cairn.Storage.Sftp;

/// <summary>
/// Remote files left open after a read that filled its buffer, each under the offset where it stopped, so that a
/// read that goes on from there (check's next window of a pack, restore's next run) continues the same file and
/// its read-ahead instead of opening it again. SSH.NET's read-ahead grows with every read of a stream and runs past
/// the range a caller wants; a stream opened per range paid that ramp and that waste each time (a 16 MiB pack read
/// in four windows moved about twice its bytes). At most <see cref="Capacity"/> are kept; the oldest is closed.
/// </summary>
internal sealed class OpenReads(int capacity) : IAsyncDisposable
{
    private readonly LinkedList<(string Path, long Position, SftpFileStream Stream)> _open = new();
    private readonly Lock _lock = new();

    public int Capacity { get; } = Math.Max(1, capacity);

    /// <summary>Takes the stream left open on <paramref name="path"/> at <paramref name="position"/>, if any.</summary>
    public SftpFileStream? Take(string path, long position)
    {
        lock (_lock)
        {
            for (var node = _open.First; node is not null; node = node.Next)
            {
                if (node.Value.Position == position && node.Value.Path == path)
                {
                    _open.Remove(node);
                    return node.Value.Stream;
                }
            }
        }
        return null;
    }

    /// <summary>Keeps <paramref name="stream"/>, which stands at <paramref name="position"/> of <paramref name="path"/>; returns the stream it pushed out, for the caller to close.</summary>
    public SftpFileStream? Keep(string path, long position, SftpFileStream stream)
    {
        lock (_lock)
        {
            _open.AddLast((path, position, stream));
            if (_open.Count <= Capacity)
                return null;
            var oldest = _open.First!.Value.Stream;
            _open.RemoveFirst();
            return oldest;
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<SftpFileStream> streams;
        lock (_lock)
        {
            streams = [.. _open.Select(o => o.Stream)];
            _open.Clear();
        }
        foreach (var stream in streams)
            await CloseQuietlyAsync(stream).ConfigureAwait(false);
    }

    /// <summary>Closes a stream whose connection may be gone already.</summary>
    public static async ValueTask CloseQuietlyAsync(SftpFileStream? stream)
    {
        if (stream is null)
            return;
        try
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is Renci.SshNet.Common.SshException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // The connection went away with it.
        }
    }
}
