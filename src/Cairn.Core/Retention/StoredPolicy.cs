using System.Text.Json.Serialization;
using Cairn.Core.Snapshots;

namespace Cairn.Core.Retention;

/// <summary>
/// A named retention policy kept in the repository (<c>policies/NAME</c>): which snapshots it covers (hosts, tags,
/// paths; none given: all) and what to keep of them, applied by <c>forget --apply-policy</c> each time it runs, so
/// that a changed policy applies to the snapshots already there.
/// </summary>
public sealed record StoredPolicy
{
    /// <summary>The policy's name (also its object name).</summary>
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    /// <summary>Only snapshots of these hosts (none: every host).</summary>
    [JsonPropertyName("hosts")] public IReadOnlyList<string> Hosts { get; init; } = [];
    /// <summary>Only snapshots with all tags of one of these sets (none: any).</summary>
    [JsonPropertyName("tags")] public IReadOnlyList<IReadOnlyList<string>> Tags { get; init; } = [];
    /// <summary>Only snapshots that include all these paths.</summary>
    [JsonPropertyName("paths")] public IReadOnlyList<string> Paths { get; init; } = [];
    /// <summary>Counts of the keep rules (restic's --keep-* names without the prefix).</summary>
    [JsonPropertyName("keep")] public IReadOnlyDictionary<string, int> Keep { get; init; } = new Dictionary<string, int>();
    /// <summary>Spans of the keep-within rules, e.g. {"within": "1m", "within-daily": "1y"}.</summary>
    [JsonPropertyName("keep_within")] public IReadOnlyDictionary<string, string> KeepWithin { get; init; } = new Dictionary<string, string>();
    /// <summary>Tag sets whose snapshots are kept.</summary>
    [JsonPropertyName("keep_tags")] public IReadOnlyList<IReadOnlyList<string>> KeepTags { get; init; } = [];
    /// <summary>A span after a snapshot's time when forget removes it whatever the keep rules say (a hold still wins).</summary>
    [JsonPropertyName("destroy_after")] public string? DestroyAfter { get; init; }

    /// <summary>How many criteria narrow the policy: the most specific policy that matches a snapshot applies to it.</summary>
    [JsonIgnore] public int Specificity => (Hosts.Count > 0 ? 1 : 0) + (Tags.Count > 0 ? 1 : 0) + (Paths.Count > 0 ? 1 : 0);

    /// <summary>True when the policy covers the snapshot.</summary>
    public bool Covers(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return (Hosts.Count == 0 || Hosts.Contains(snapshot.Host))
            && (Tags.Count == 0 || Tags.Any(set => set.All(snapshot.Tags.Contains)))
            && Paths.All(snapshot.Paths.Contains);
    }

    /// <summary>The keep rules as a <see cref="RetentionPolicy"/>.</summary>
    /// <exception cref="FormatException">A rule name or span that does not parse.</exception>
    public RetentionPolicy ToRetentionPolicy()
    {
        int Count(string name) => Keep.TryGetValue(name, out var n) ? n : 0;
        RetentionDuration? Span(string name) => KeepWithin.TryGetValue(name, out var text) ? RetentionDuration.Parse(text) : null;
        foreach (var name in Keep.Keys.Where(k => k is not ("last" or "hourly" or "daily" or "weekly" or "monthly" or "yearly")))
            throw new FormatException($"policy {Name}: unknown keep rule '{name}'");
        foreach (var name in KeepWithin.Keys.Where(k => k is not ("within" or "within-hourly" or "within-daily" or "within-weekly" or "within-monthly" or "within-yearly")))
            throw new FormatException($"policy {Name}: unknown keep rule '{name}'");
        return new RetentionPolicy
        {
            Last = Count("last"),
            Hourly = Count("hourly"),
            Daily = Count("daily"),
            Weekly = Count("weekly"),
            Monthly = Count("monthly"),
            Yearly = Count("yearly"),
            Within = Span("within"),
            WithinHourly = Span("within-hourly"),
            WithinDaily = Span("within-daily"),
            WithinWeekly = Span("within-weekly"),
            WithinMonthly = Span("within-monthly"),
            WithinYearly = Span("within-yearly"),
            KeepTags = KeepTags,
        };
    }

    /// <summary>The stored form of <paramref name="policy"/>.</summary>
    public static StoredPolicy From(string name, RetentionPolicy policy, IReadOnlyList<string> hosts, IReadOnlyList<IReadOnlyList<string>> tags,
        IReadOnlyList<string> paths, RetentionDuration? destroyAfter)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var keep = new Dictionary<string, int>();
        foreach (var (rule, count) in new[] { ("last", policy.Last), ("hourly", policy.Hourly), ("daily", policy.Daily), ("weekly", policy.Weekly), ("monthly", policy.Monthly), ("yearly", policy.Yearly) })
        {
            if (count != 0)
                keep[rule] = count;
        }
        var within = new Dictionary<string, string>();
        foreach (var (rule, span) in new[] { ("within", policy.Within), ("within-hourly", policy.WithinHourly), ("within-daily", policy.WithinDaily),
            ("within-weekly", policy.WithinWeekly), ("within-monthly", policy.WithinMonthly), ("within-yearly", policy.WithinYearly) })
        {
            if (span is { } s)
                within[rule] = s.ToString();
        }
        return new StoredPolicy
        {
            Name = name, Hosts = hosts, Tags = tags, Paths = paths, Keep = keep, KeepWithin = within, KeepTags = policy.KeepTags,
            DestroyAfter = destroyAfter?.ToString(),
        };
    }
}
