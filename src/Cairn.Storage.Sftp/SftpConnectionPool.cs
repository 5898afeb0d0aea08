using System.Collections.Concurrent;
using Renci.SshNet;

namespace Cairn.Storage.Sftp;

/// <summary>
/// Up to N connected SFTP clients shared by the store's operations. A client whose connection dropped is thrown
/// away, and the next operation connects anew, so a store outlives a server restart.
/// </summary>
internal sealed class SftpConnectionPool(Func<CancellationToken, Task<SftpClient>> connect, int size) : IAsyncDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, size));
    private readonly ConcurrentBag<SftpClient> _idle = [];
    private bool _disposed;

    /// <summary>Runs an operation on a connected client.</summary>
    public async Task<T> RunAsync<T>(Func<SftpClient, Task<T>> operation, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        SftpClient? client = null;
        var broken = false;
        try
        {
            while (_idle.TryTake(out var idle))
            {
                if (idle.IsConnected)
                {
                    client = idle;
                    break;
                }
                idle.Dispose();
            }
            client ??= await connect(ct).ConfigureAwait(false);
            return await operation(client).ConfigureAwait(false);
        }
        catch (Exception e) when (SftpErrors.IsConnectionFailure(e))
        {
            broken = true;
            throw;
        }
        finally
        {
            if (client is not null)
            {
                if (!broken && client.IsConnected && !_disposed)
                    _idle.Add(client);
                else
                    client.Dispose();
            }
            _slots.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_idle.TryTake(out var client))
        {
            try
            {
                client.Disconnect();
            }
            catch (Exception e) when (e is Renci.SshNet.Common.SshException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                // The connection is going away anyway.
            }
            client.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
