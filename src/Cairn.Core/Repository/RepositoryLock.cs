using System.Text.Json;
using Cairn.Core.Crypto;
using Cairn.Core.Format;
using Cairn.Storage;

using Cairn.Core.Serialization;

namespace Cairn.Core.Repository;

/// <summary>
/// A lock file held for the duration of an operation. Backups and restores take shared locks, which never
/// conflict with each other; maintenance takes an exclusive lock. The holder refreshes it every
/// <see cref="LockInfo.RefreshEvery"/>; a lock whose process is gone, or that was not refreshed for
/// <see cref="LockInfo.StaleAfter"/>, is stale and is reported as such.
/// </summary>
public sealed class RepositoryLock : IAsyncDisposable
{
    private readonly IStorage _storage;
    private readonly KeyRing _keys;
    private readonly ObjectName _name;
    private readonly LockInfo _info;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _refresher;
    private int _disposed;

    private RepositoryLock(IStorage storage, KeyRing keys, ObjectName name, LockInfo info, IReadOnlyList<LockInfo> staleLocks)
    {
        StaleLocks = staleLocks;
        _storage = storage;
        _keys = keys;
        _name = name;
        _info = info;
        _refresher = RefreshLoopAsync();
    }

    /// <summary>The lock file's name.</summary>
    public ObjectName Name => _name;

    /// <summary>Stale locks of other processes that did not conflict with this one, for the caller to report.</summary>
    public IReadOnlyList<LockInfo> StaleLocks { get; }

    /// <summary>Takes a lock, failing with <see cref="ErrorKind.Locked"/> when a conflicting one exists.</summary>
    public static async Task<RepositoryLock> AcquireAsync(IStorage storage, KeyRing keys, bool exclusive, string operation, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var info = new LockInfo
        {
            Host = Environment.MachineName,
            Pid = Environment.ProcessId,
            Username = Environment.UserName,
            Time = DateTimeOffset.UtcNow,
            Exclusive = exclusive,
            Operation = operation,
        };
        var name = new ObjectName(ObjectKind.Lock, Repository.NewRandomName());
        // Write first, then look: two processes racing both see each other and at least one backs off.
        await storage.WriteAsync(name, Encode(keys, info), ct).ConfigureAwait(false);
        var staleLocks = new List<LockInfo>();
        try
        {
            foreach (var (other, otherInfo) in await ListAsync(storage, keys, ct).ConfigureAwait(false))
            {
                if (other == name || otherInfo is null)
                    continue;
                var stale = otherInfo.IsStale(DateTimeOffset.UtcNow);
                if (!(exclusive || otherInfo.Exclusive))
                {
                    if (stale)
                        staleLocks.Add(otherInfo);
                    continue;
                }
                throw new CairnException(ErrorKind.Locked,
                    $"repository is locked {(otherInfo.Exclusive ? "exclusively" : "")} by {otherInfo.Operation} (PID {otherInfo.Pid} on {otherInfo.Host}, user {otherInfo.Username}) since {otherInfo.Time:u}"
                        .Replace("  ", " ", StringComparison.Ordinal) + (stale ? "; the lock is stale (its process is gone or it was not refreshed for 30 minutes)" : ""),
                    stale ? "run 'cairn unlock' to remove stale locks" : "wait for that operation to finish");
            }
        }
        catch
        {
            await storage.DeleteAsync(name, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        return new RepositoryLock(storage, keys, name, info, staleLocks);
    }

    /// <summary>Every lock file with its content (null when it cannot be read).</summary>
    public static async Task<List<(ObjectName Name, LockInfo? Info)>> ListAsync(IStorage storage, KeyRing keys, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var result = new List<(ObjectName, LockInfo?)>();
        await foreach (var o in storage.ListAsync(ObjectKind.Lock, ct).ConfigureAwait(false))
        {
            LockInfo? info;
            try
            {
                var stored = await storage.ReadAllAsync(o.Name, ct).ConfigureAwait(false);
                info = JsonSerializer.Deserialize(Envelope.Open(keys, EnvelopeType.Lock, stored, o.Name.ToString()), FormatJsonContext.Default.LockInfo);
            }
            catch (StorageException e) when (e.Kind == StorageErrorKind.NotFound)
            {
                continue; // released while we listed
            }
            catch (Exception e) when (e is RepositoryCorruptException or JsonException)
            {
                info = null;
            }
            result.Add((o.Name, info));
        }
        return result;
    }

    private static byte[] Encode(KeyRing keys, LockInfo info) =>
        Envelope.Seal(keys, EnvelopeType.Lock, KeyDomain.Metadata, JsonSerializer.SerializeToUtf8Bytes(info, FormatJsonContext.Default.LockInfo));

    private async Task RefreshLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(LockInfo.RefreshEvery, _stop.Token).ConfigureAwait(false);
                var refreshed = _info with { Time = DateTimeOffset.UtcNow };
                await _storage.WriteAsync(_name, Encode(_keys, refreshed), _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (StorageException)
            {
                // Tried again at the next interval; the lock only goes stale after 30 minutes without a refresh.
            }
        }
    }

    /// <summary>Releases the lock.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return; // released already (an explicit release, then the end of a using block)
        await _stop.CancelAsync().ConfigureAwait(false);
        await _refresher.ConfigureAwait(false);
        _stop.Dispose();
        await _storage.DeleteAsync(_name, CancellationToken.None).ConfigureAwait(false);
    }
}
