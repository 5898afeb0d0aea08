using System.Globalization;
using Cairn.Core.Format;
using Cairn.Core.Snapshots;

namespace Cairn.Core.Retention;

/// <summary>
/// Applies a <see cref="RetentionPolicy"/> to one group of snapshots, with restic's documented semantics: snapshots
/// are visited newest first; each count rule keeps a snapshot when it falls into a period (hour, day, ISO week,
/// month, year) other than the last one that rule kept, until its count is used up; calendar periods are those of
/// <c>zone</c>; duration rules count back from the newest snapshot that is not in the future; snapshots in the future
/// are kept whenever a duration rule is given; and when a rule still has periods left at the oldest snapshot, that
/// snapshot is kept as well ("oldest daily"), so the history reaches as far back as the rule allows.
/// </summary>
public static class Retention
{
    /// <summary>The reason given for a snapshot that no rule keeps.</summary>
    public const string NoRuleKeepsIt = "no rule keeps it";

    /// <summary>
    /// Decides with holds and destroy-by dates too. A snapshot whose destroy-by date has passed is removed and takes
    /// no part in the keep rules (so that "keep the last 3" keeps three others); an active hold keeps a snapshot
    /// whatever the rules or its destroy-by date say. The result is newest first.
    /// </summary>
    public static IReadOnlyList<RetentionDecision> Apply(IEnumerable<Snapshot> group, RetentionPolicy policy, DateTimeOffset now, TimeZoneInfo zone,
        IReadOnlyDictionary<SnapshotId, Hold> holds)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(holds);
        var all = group.ToList();
        bool Held(Snapshot s) => holds.TryGetValue(s.Id, out var h) && h.IsActive(now);
        var expired = all.Where(s => s.DestroyAfter is { } d && d <= now && !Held(s)).ToHashSet();
        var decisions = Apply(all.Where(s => !expired.Contains(s)), policy, now, zone).ToList();
        decisions.AddRange(expired.Select(s => new RetentionDecision(s, false, [$"destroy-by {s.DestroyAfter!.Value.UtcDateTime:yyyy-MM-dd HH:mm} passed"])));
        return [.. decisions
            .Select(d => holds.TryGetValue(d.Snapshot.Id, out var hold) && hold.IsActive(now)
                ? new RetentionDecision(d.Snapshot, true, [.. d.Keep ? d.Reasons : [], hold.Describe()])
                : d)
            .OrderByDescending(d => d.Snapshot.Time).ThenByDescending(d => d.Snapshot.Id.ToString(), StringComparer.Ordinal)];
    }

    /// <summary>Decides for every snapshot of <paramref name="group"/>; the result is newest first.</summary>
    public static IReadOnlyList<RetentionDecision> Apply(IEnumerable<Snapshot> group, RetentionPolicy policy, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(zone);
        var list = group.OrderByDescending(s => s.Time).ThenByDescending(s => s.Id.ToString(), StringComparer.Ordinal).ToList();
        var latest = list.FirstOrDefault(s => s.Time <= now)?.Time;
        var counted = new List<Rule>
        {
            new("last", policy.Last, (_, index) => index),
            new("hourly", policy.Hourly, (t, _) => Hour(t)),
            new("daily", policy.Daily, (t, _) => Day(t)),
            new("weekly", policy.Weekly, (t, _) => Week(t)),
            new("monthly", policy.Monthly, (t, _) => Month(t)),
            new("yearly", policy.Yearly, (t, _) => t.Year),
        };
        counted.RemoveAll(r => r.Count == 0);
        var within = new List<(Rule Rule, DateTimeOffset After)>();
        if (latest is { } newest)
        {
            foreach (var (span, name, bucket) in new (RetentionDuration?, string, Func<DateTime, int, long>)[]
            {
                (policy.WithinHourly, "hourly", (t, _) => Hour(t)),
                (policy.WithinDaily, "daily", (t, _) => Day(t)),
                (policy.WithinWeekly, "weekly", (t, _) => Week(t)),
                (policy.WithinMonthly, "monthly", (t, _) => Month(t)),
                (policy.WithinYearly, "yearly", (t, _) => t.Year),
            })
            {
                if (span is { } s)
                    within.Add((new Rule($"{name} within {s}", RetentionPolicy.Unlimited, bucket), s.Before(newest)));
            }
        }
        var anyDuration = policy.Within is not null || policy.WithinHourly is not null || policy.WithinDaily is not null
            || policy.WithinWeekly is not null || policy.WithinMonthly is not null || policy.WithinYearly is not null;

        var decisions = new List<RetentionDecision>(list.Count);
        for (var index = 0; index < list.Count; index++)
        {
            var snapshot = list[index];
            var oldest = index == list.Count - 1;
            var local = TimeZoneInfo.ConvertTime(snapshot.Time, zone).DateTime;
            var reasons = new List<string>();
            if (anyDuration && snapshot.Time > now)
                reasons.Add("in the future"); // duration rules look at the past only
            foreach (var tags in policy.KeepTags)
            {
                if (tags.Count == 0 ? snapshot.Tags.Count == 0 : tags.All(snapshot.Tags.Contains))
                    reasons.Add(tags.Count == 0 ? "untagged" : $"tagged {string.Join(",", tags)}");
            }
            var future = snapshot.Time > now;
            if (policy.Within is { } span && latest is { } last && !future && snapshot.Time > span.Before(last))
                reasons.Add($"within {span}");
            foreach (var rule in counted)
                rule.Consider(local, index, oldest, reasons);
            foreach (var (rule, after) in within)
            {
                if (!future && snapshot.Time > after)
                    rule.Consider(local, index, oldest, reasons);
            }
            decisions.Add(new RetentionDecision(snapshot, reasons.Count > 0, reasons.Count > 0 ? reasons : [NoRuleKeepsIt]));
        }
        return decisions;
    }

    private static long Hour(DateTime t) => Day(t) * 100 + t.Hour;

    private static long Day(DateTime t) => Month(t) * 100 + t.Day;

    private static long Month(DateTime t) => t.Year * 100L + t.Month;

    private static long Week(DateTime t) => ISOWeek.GetYear(t) * 100L + ISOWeek.GetWeekOfYear(t);

    /// <summary>One counting rule while a group is walked: the periods it still keeps and the last one it kept.</summary>
    private sealed class Rule(string name, int count, Func<DateTime, int, long> bucket)
    {
        private int _left = count;
        private long? _lastKept;

        public int Count { get; } = count;

        public void Consider(DateTime local, int index, bool oldest, List<string> reasons)
        {
            if (_left == 0)
                return;
            var value = bucket(local, index);
            if (value == _lastKept && !oldest)
                return;
            reasons.Add(value == _lastKept ? $"oldest {name}" : name);
            _lastKept = value;
            if (_left > 0)
                _left--;
        }
    }
}
