namespace Cairn.Storage;

/// <summary>
/// Paces transfers to a rate: each transfer books its bytes on a shared timeline and waits until its share of
/// the timeline has come. Bursts of up to one second's worth pass at once.
/// </summary>
public sealed class BandwidthLimit
{
    private readonly double _bytesPerSecond;
    private readonly object _lock = new();
    private double _due; // seconds on the stopwatch when the bytes booked so far have been sent at the rate

    /// <summary>Creates a limit of <paramref name="bytesPerSecond"/>.</summary>
    public BandwidthLimit(long bytesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerSecond, 1);
        _bytesPerSecond = bytesPerSecond;
    }

    /// <summary>Waits until <paramref name="bytes"/> more bytes may go.</summary>
    public Task WaitAsync(long bytes, CancellationToken ct)
    {
        TimeSpan wait;
        lock (_lock)
        {
            var now = System.Diagnostics.Stopwatch.GetTimestamp() / (double)System.Diagnostics.Stopwatch.Frequency;
            _due = Math.Max(_due, now - 1) + (bytes / _bytesPerSecond);
            wait = TimeSpan.FromSeconds(Math.Max(0, _due - now));
        }
        return wait > TimeSpan.Zero ? Task.Delay(wait, ct) : Task.CompletedTask;
    }
}
