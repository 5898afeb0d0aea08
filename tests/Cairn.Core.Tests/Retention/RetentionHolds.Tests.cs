using System.Globalization;
using System.Text;
using Cairn.Core.Format;
using Cairn.Core.Retention;
using Cairn.Core.Snapshots;

namespace Cairn.Core.Tests.Retention;

/// <summary>
/// Golden tests of retention decisions with holds and destroy-by dates: an active hold keeps a snapshot whatever
/// the rules and its destroy-by date say; a passed destroy-by date removes a snapshot no hold keeps, and that
/// snapshot takes no part in the keep rules.
/// </summary>
public sealed class RetentionHoldsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Snapshots as "yyyy-MM-dd HH:mm[ destroy=yyyy-MM-dd][ hold=yyyy-MM-dd]"; the answer lists the kept ones as
    /// "yyyy-MM-dd HH:mm reason+reason" and the removed ones as "yyyy-MM-dd HH:mm -reason".
    /// </summary>
    public sealed record Scenario(string Name, string[] Snapshots, RetentionPolicy Policy, string[] Decisions)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Scenario> Scenarios { get; } = new()
    {
        new("a held snapshot no rule keeps is kept",
            ["2026-11-01 10:00 hold=2027-01-01", "2026-11-02 10:00", "2026-11-03 10:00"], new() { Last = 1 },
            ["2026-11-03 10:00 last", "2026-11-02 10:00 -no rule keeps it", "2026-11-01 10:00 held until 2027-01-01 00:00 (case 1)"]),
        new("a hold that ended keeps nothing",
            ["2026-11-01 10:00 hold=2026-11-20", "2026-11-02 10:00"], new() { Last = 1 },
            ["2026-11-02 10:00 last", "2026-11-01 10:00 -no rule keeps it"]),
        new("a snapshot kept by a rule and held shows both",
            ["2026-11-01 10:00", "2026-11-02 10:00 hold=2027-01-01"], new() { Last = 1 },
            ["2026-11-02 10:00 last+held until 2027-01-01 00:00 (case 1)", "2026-11-01 10:00 -no rule keeps it"]),
        new("a passed destroy-by date removes what keep-last would keep",
            ["2026-11-01 10:00", "2026-11-02 10:00", "2026-11-03 10:00 destroy=2026-11-20"], new() { Last = 2 },
            ["2026-11-03 10:00 -destroy-by 2026-11-20 00:00 passed", "2026-11-02 10:00 last", "2026-11-01 10:00 last"]),
        new("a destroy-by date still ahead changes nothing",
            ["2026-11-01 10:00", "2026-11-02 10:00 destroy=2026-12-31"], new() { Last = 1 },
            ["2026-11-02 10:00 last", "2026-11-01 10:00 -no rule keeps it"]),
        new("a hold beats a passed destroy-by date",
            ["2026-11-01 10:00 destroy=2026-11-10 hold=2027-01-01", "2026-11-02 10:00"], new() { Last = 1 },
            ["2026-11-02 10:00 last", "2026-11-01 10:00 held until 2027-01-01 00:00 (case 1)"]),
        new("destroyed snapshots take no part in the daily rule",
            ["2026-11-20 08:00", "2026-11-20 20:00 destroy=2026-11-21", "2026-11-21 08:00", "2026-11-21 20:00 destroy=2026-11-22"], new() { Daily = 2 },
            ["2026-11-21 20:00 -destroy-by 2026-11-22 00:00 passed", "2026-11-21 08:00 daily", "2026-11-20 20:00 -destroy-by 2026-11-21 00:00 passed", "2026-11-20 08:00 daily"]),
        new("every snapshot past its destroy-by date goes, even the last",
            ["2026-11-01 10:00 destroy=2026-11-02", "2026-11-02 10:00 destroy=2026-11-03"], new() { Last = 5 },
            ["2026-11-02 10:00 -destroy-by 2026-11-03 00:00 passed", "2026-11-01 10:00 -destroy-by 2026-11-02 00:00 passed"]),
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Decisions_match_the_golden_answer(Scenario scenario)
    {
        var holds = new Dictionary<SnapshotId, Hold>();
        var snapshots = scenario.Snapshots.Select(text => Parse(text, holds)).ToList();

        var decisions = Core.Retention.Retention.Apply(snapshots, scenario.Policy, Now, TimeZoneInfo.Utc, holds);

        var rendered = decisions.Select(d => $"{d.Snapshot.Time.UtcDateTime:yyyy-MM-dd HH:mm} {(d.Keep ? "" : "-")}{string.Join("+", d.Reasons)}").ToArray();
        Assert.Equal(scenario.Decisions, rendered);
    }

    private static Snapshot Parse(string text, Dictionary<SnapshotId, Hold> holds)
    {
        var parts = text.Split(' ');
        var time = DateTimeOffset.ParseExact($"{parts[0]} {parts[1]}", "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var id = new SnapshotId(Digest.OfContent(Encoding.UTF8.GetBytes(text)));
        DateTimeOffset? destroy = null;
        foreach (var part in parts.Skip(2))
        {
            var (key, value) = (part[..part.IndexOf('=', StringComparison.Ordinal)], part[(part.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            var date = DateTimeOffset.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            if (key == "destroy")
                destroy = date;
            else
                holds[id] = new Hold { Snapshot = id.ToString(), Until = date, Reason = "case 1" };
        }
        return new Snapshot
        {
            Id = id,
            Time = time,
            Host = "host",
            Paths = ["/data"],
            Tree = new BlobId(Digest.OfContent([])),
            DestroyAfter = destroy,
        };
    }
}
