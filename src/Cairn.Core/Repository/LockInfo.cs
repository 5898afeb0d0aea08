using System.Text.Json.Serialization;

namespace Cairn.Core.Repository;

/// <summary>The content of a lock file.</summary>
public sealed record LockInfo
{
    /// <summary>Host that holds the lock.</summary>
    [JsonPropertyName("host")] public string Host { get; init; } = "";
    /// <summary>Process id on that host.</summary>
    [JsonPropertyName("pid")] public int Pid { get; init; }
    /// <summary>User running the process.</summary>
    [JsonPropertyName("username")] public string Username { get; init; } = "";
    /// <summary>When the lock was taken or last refreshed.</summary>
    [JsonPropertyName("time")] public DateTimeOffset Time { get; init; }
    /// <summary>Exclusive locks (maintenance) exclude every other lock; shared ones (backup, restore) only exclusive ones.</summary>
    [JsonPropertyName("exclusive")] public bool Exclusive { get; init; }
    /// <summary>What the process is doing, e.g. "backup".</summary>
    [JsonPropertyName("operation")] public string Operation { get; init; } = "";

    /// <summary>A lock not refreshed for this long is stale, whoever holds it.</summary>
    public static TimeSpan StaleAfter { get; } = TimeSpan.FromMinutes(30);

    /// <summary>How often a holder refreshes its lock.</summary>
    public static TimeSpan RefreshEvery { get; } = TimeSpan.FromMinutes(5);

    /// <summary>True when the holder is known to be gone: same host and no such process, or not refreshed for <see cref="StaleAfter"/>.</summary>
    public bool IsStale(DateTimeOffset now)
    {
        if (now - Time > StaleAfter)
            return true;
        if (!string.Equals(Host, Environment.MachineName, StringComparison.Ordinal))
            return false;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(Pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
