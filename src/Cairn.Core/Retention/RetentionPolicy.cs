namespace Cairn.Core.Retention;

/// <summary>
/// Which snapshots of a group to keep (restic's <c>--keep-*</c> rules): a snapshot is kept when any rule keeps
/// it. Counts are the number of hours, days, … with snapshots to keep one of; <see cref="Unlimited"/> keeps one of
/// every such period.
/// </summary>
public sealed record RetentionPolicy
{
    /// <summary>A count meaning "every period there is".</summary>
    public const int Unlimited = -1;

    /// <summary>Keep the N most recent snapshots.</summary>
    public int Last { get; init; }
    /// <summary>Keep the most recent snapshot of each of the last N hours that have one.</summary>
    public int Hourly { get; init; }
    /// <summary>Keep the most recent snapshot of each of the last N days that have one.</summary>
    public int Daily { get; init; }
    /// <summary>Keep the most recent snapshot of each of the last N ISO weeks (Monday to Sunday) that have one.</summary>
    public int Weekly { get; init; }
    /// <summary>Keep the most recent snapshot of each of the last N months that have one.</summary>
    public int Monthly { get; init; }
    /// <summary>Keep the most recent snapshot of each of the last N years that have one.</summary>
    public int Yearly { get; init; }
    /// <summary>Keep every snapshot within this span of the group's latest snapshot.</summary>
    public RetentionDuration? Within { get; init; }
    /// <summary>Keep the most recent snapshot of every hour within this span of the latest snapshot.</summary>
    public RetentionDuration? WithinHourly { get; init; }
    /// <summary>Keep the most recent snapshot of every day within this span of the latest snapshot.</summary>
    public RetentionDuration? WithinDaily { get; init; }
    /// <summary>Keep the most recent snapshot of every week within this span of the latest snapshot.</summary>
    public RetentionDuration? WithinWeekly { get; init; }
    /// <summary>Keep the most recent snapshot of every month within this span of the latest snapshot.</summary>
    public RetentionDuration? WithinMonthly { get; init; }
    /// <summary>Keep the most recent snapshot of every year within this span of the latest snapshot.</summary>
    public RetentionDuration? WithinYearly { get; init; }
    /// <summary>Keep every snapshot that has all tags of one of these sets; an empty set matches untagged snapshots.</summary>
    public IReadOnlyList<IReadOnlyList<string>> KeepTags { get; init; } = [];

    /// <summary>True when no rule keeps anything: such a policy must not be applied (it would remove everything).</summary>
    public bool IsEmpty => Last == 0 && Hourly == 0 && Daily == 0 && Weekly == 0 && Monthly == 0 && Yearly == 0
        && Within is null && WithinHourly is null && WithinDaily is null && WithinWeekly is null && WithinMonthly is null
        && WithinYearly is null && KeepTags.Count == 0;

    /// <summary>The rules in words, e.g. "the last 3, 7 daily, every snapshot within 1m".</summary>
    public string Describe()
    {
        var parts = new List<string>();
        void Count(int n, string what)
        {
            if (n != 0)
                parts.Add(n == Unlimited ? $"every {what}" : $"{n} {what}");
        }
        if (Last != 0)
            parts.Add(Last == Unlimited ? "all" : $"the last {Last}");
        Count(Hourly, "hourly");
        Count(Daily, "daily");
        Count(Weekly, "weekly");
        Count(Monthly, "monthly");
        Count(Yearly, "yearly");
        if (Within is { } w)
            parts.Add($"every snapshot within {w}");
        foreach (var (span, what) in new[] { (WithinHourly, "hourly"), (WithinDaily, "daily"), (WithinWeekly, "weekly"), (WithinMonthly, "monthly"), (WithinYearly, "yearly") })
        {
            if (span is { } s)
                parts.Add($"{what} within {s}");
        }
        foreach (var tags in KeepTags)
            parts.Add(tags.Count == 0 ? "untagged" : $"tagged {string.Join(",", tags)}");
        return string.Join(", ", parts);
    }
}
