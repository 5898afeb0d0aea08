namespace Cairn.Storage;

/// <summary>
/// How long one request to a remote store may take: a base time plus one second per 16 KiB it carries, so that
/// a 16 MiB pack gets about 17 minutes more on top, enough for an uplink of 128 kbit/s, while a request that hangs
/// (a connection gone silent, a server that stopped answering) still ends and is retried.
/// </summary>
public static class RequestDeadline
{
    /// <summary>The slowest transfer rate a request is allowed, in bytes per second.</summary>
    public const int MinimumBytesPerSecond = 16 * 1024;

    /// <summary>The deadline of a request that carries <paramref name="bytes"/> bytes.</summary>
    public static TimeSpan For(TimeSpan baseTime, long bytes) => baseTime + TimeSpan.FromSeconds((double)Math.Max(0, bytes) / MinimumBytesPerSecond);
}
