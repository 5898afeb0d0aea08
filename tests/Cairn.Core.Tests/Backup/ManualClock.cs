namespace Cairn.Core.Tests.Backup;

/// <summary>A clock that stands still until a test moves it (timestamps in microseconds).</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _now = 1_000_000;

    public override long TimestampFrequency => 1_000_000;

    public override long GetTimestamp() => Interlocked.Read(ref _now);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _now, (long)by.TotalMicroseconds);
}
