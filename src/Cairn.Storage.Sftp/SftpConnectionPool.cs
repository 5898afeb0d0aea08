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
    // Cancelled when any connection fails: the others to the same server are most likely dead too, and SSH.NET
    // may never finish their operations.
    private CancellationTokenSource _serverLost = new();
    private bool _disposed;

    /// <summary>
    /// Runs an operation on a connected client. An operation whose connection fails (the client reports an
    /// error), or that is still running at <paramref name="deadline"/>, is abandoned with its connection: a
    /// server that died can leave SSH.NET waiting for an answer that never comes.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<SftpClient, Task<T>> operation, TimeSpan deadline, CancellationToken ct)
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
            var connectionLost = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnError(object? sender, Renci.SshNet.Common.ExceptionEventArgs e) =>
                connectionLost.TrySetException(new Renci.SshNet.Common.SshConnectionException(e.Exception.Message, e.Exception));
            client.ErrorOccurred += OnError;
            using var lost = Volatile.Read(ref _serverLost).Token.Register(() =>
                connectionLost.TrySetException(new Renci.SshNet.Common.SshConnectionException("another connection to the server failed")));
            try
            {
                var running = operation(client);
                var first = await Task.WhenAny(running, connectionLost.Task).WaitAsync(deadline, ct).ConfigureAwait(false);
                return await first.ConfigureAwait(false);
            }
            catch (InvalidOperationException e) when (e is not ObjectDisposedException)
            {
                // SSH.NET's word for an SFTP channel that closed under a client still marked connected (the server
                // went away while it sat idle): the connection is lost, and a new one is worth trying.
                throw new Renci.SshNet.Common.SshConnectionException($"the SFTP session closed: {e.Message}", e);
            }
            finally
            {
                client.ErrorOccurred -= OnError;
            }
        }
        catch (Exception e) when (SftpErrors.IsConnectionFailure(e))
        {
            broken = true;
            var failed = Interlocked.Exchange(ref _serverLost, new CancellationTokenSource());
            await failed.CancelAsync().ConfigureAwait(false);
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
