using System.Runtime.CompilerServices;

namespace Cairn.Storage;

/// <summary>
/// Retries every operation that fails with <see cref="StorageErrorKind.Transient"/> (a dropped connection, a
/// busy or restarting server), waiting longer each time: exponential backoff from <see cref="FirstDelay"/>,
/// doubled up to <see cref="MaxDelay"/>, each wait drawn at random between half and all of it (jitter, so that
/// many clients do not retry in step), until <see cref="GiveUpAfter"/> has passed since the first failure.
/// Every operation of <see cref="IStorage"/> can be repeated safely: writes are atomic, deletes of missing objects succeed.
/// </summary>
public sealed class RetryingStorage(IStorage inner) : StorageDecorator(inner)
{
    private volatile bool _answered;

    /// <summary>The first wait.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two tries.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after the first failure an operation is given up.</summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Retry only once the store has answered at least once: a server that cannot be reached at the start (a wrong
    /// port, a server that is down) fails at once with one clear message instead of minutes of retries.
    /// </summary>
    public bool OnlyAfterFirstSuccess { get; init; } = true;

    /// <summary>Told of each retry: what failed and how long until the next try.</summary>
    public Action<StorageException, TimeSpan>? Retrying { get; init; }

    /// <inheritdoc/>
    public override Task CreateAsync(CancellationToken ct = default) =>
        RunAsync(async () => { await Inner.CreateAsync(ct).ConfigureAwait(false); return true; }, ct);

    /// <inheritdoc/>
    public override async IAsyncEnumerable<StoredObject> ListAsync(ObjectKind kind, [EnumeratorCancellation] CancellationToken ct = default)
    {
        // A listing that fails halfway is listed again from the start, so it is collected before it is handed out.
        var all = await RunAsync(async () =>
        {
            var list = new List<StoredObject>();
            await foreach (var o in Inner.ListAsync(kind, ct).ConfigureAwait(false))
                list.Add(o);
            return list;
        }, ct).ConfigureAwait(false);
        foreach (var o in all)
            yield return o;
    }

    /// <inheritdoc/>
    public override Task<StoredObject?> StatAsync(ObjectName name, CancellationToken ct = default) =>
        RunAsync(() => Inner.StatAsync(name, ct), ct);

    /// <inheritdoc/>
    public override Task<int> ReadAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken ct = default) =>
        RunAsync(() => Inner.ReadAsync(name, offset, buffer, ct), ct);

    /// <inheritdoc/>
    public override Task WriteAsync(ObjectName name, ReadOnlyMemory<byte> content, CancellationToken ct = default) =>
        RunAsync(async () => { await Inner.WriteAsync(name, content, ct).ConfigureAwait(false); return true; }, ct);

    /// <inheritdoc/>
    public override Task WriteAsync(ObjectName name, IObjectContent content, CancellationToken ct = default) =>
        RunAsync(async () => { await Inner.WriteAsync(name, content, ct).ConfigureAwait(false); return true; }, ct);

    /// <inheritdoc/>
    public override Task DeleteAsync(ObjectName name, CancellationToken ct = default) =>
        RunAsync(async () => { await Inner.DeleteAsync(name, ct).ConfigureAwait(false); return true; }, ct);

    private async Task<T> RunAsync<T>(Func<Task<T>> operation, CancellationToken ct)
    {
        long? firstFailure = null;
        var delay = FirstDelay;
        while (true)
        {
            try
            {
                var result = await operation().ConfigureAwait(false);
                _answered = true;
                return result;
            }
            catch (StorageException e) when (e.Kind == StorageErrorKind.Transient && (_answered || !OnlyAfterFirstSuccess))
            {
                firstFailure ??= System.Diagnostics.Stopwatch.GetTimestamp();
                var wait = TimeSpan.FromTicks((long)(delay.Ticks * (0.5 + (Random.Shared.NextDouble() / 2))));
                if (System.Diagnostics.Stopwatch.GetElapsedTime(firstFailure.Value) + wait > GiveUpAfter)
                    throw new StorageException(StorageErrorKind.Transient,
                        $"{e.Message} (gave up after retrying for {System.Diagnostics.Stopwatch.GetElapsedTime(firstFailure.Value).TotalSeconds:0} s)", e);
                Retrying?.Invoke(e, wait);
                await Task.Delay(wait, ct).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }
}
