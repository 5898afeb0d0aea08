using System.Globalization;
using System.Text;
using Cairn.Core.Format;
using Cairn.Core.Retention;
using Cairn.Core.Snapshots;

namespace Cairn.Core.Tests.Retention;

/// <summary>
/// Golden tests of retention decisions: for each scenario, the snapshots kept and the rules that keep them. The
/// semantics are restic's documented ones (doc/060_forget.rst); where restic's documentation gives an example,
/// the scenario repeats it.
/// </summary>
public sealed class RetentionGoldenTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public sealed record Scenario(string Name, string[] Snapshots, RetentionPolicy Policy, string[] Kept, TimeZoneInfo? Zone = null)
    {
        public override string ToString() => Name;
    }

    private static string[] Sundays() =>
        [.. Enumerable.Range(0, 12).Select(i => new DateTime(2019, 9, 1, 11, 0, 0).AddDays(7 * i).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))];

    private static string[] TwicePerDay(int days, int startDay = 20) =>
        [.. Enumerable.Range(0, days).SelectMany(d => new[] { $"2026-11-{startDay + d:00} 08:00", $"2026-11-{startDay + d:00} 20:00" })];

    private static readonly TimeZoneInfo PlusFive = TimeZoneInfo.CreateCustomTimeZone("plus-five", TimeSpan.FromHours(5), "plus-five", "plus-five");

    public static TheoryData<Scenario> Scenarios { get; } = new()
    {
        // restic's documentation: a backup every Sunday for 12 weeks.
        new("doc: keep-daily 4 keeps the last four Sundays", Sundays(), new() { Daily = 4 },
            ["2019-11-17 11:00 daily", "2019-11-10 11:00 daily", "2019-11-03 11:00 daily", "2019-10-27 11:00 daily"]),
        new("doc: keep-weekly 2", Sundays(), new() { Weekly = 2 }, ["2019-11-17 11:00 weekly", "2019-11-10 11:00 weekly"]),
        new("doc: keep-monthly 2 keeps the newest of November and of October", Sundays(), new() { Monthly = 2 },
            ["2019-11-17 11:00 monthly", "2019-10-27 11:00 monthly"]),
        new("doc: keep-monthly 5 with three months keeps the oldest too", Sundays(), new() { Monthly = 5 },
            ["2019-11-17 11:00 monthly", "2019-10-27 11:00 monthly", "2019-09-29 11:00 monthly", "2019-09-01 11:00 oldest monthly"]),
        new("keep-last 3 of 5", ["2026-11-01 10:00", "2026-11-02 10:00", "2026-11-03 10:00", "2026-11-04 10:00", "2026-11-05 10:00"], new() { Last = 3 },
            ["2026-11-05 10:00 last", "2026-11-04 10:00 last", "2026-11-03 10:00 last"]),
        new("keep-last 10 of 3 keeps all", ["2026-11-01 10:00", "2026-11-02 10:00", "2026-11-03 10:00"], new() { Last = 10 },
            ["2026-11-03 10:00 last", "2026-11-02 10:00 last", "2026-11-01 10:00 last"]),
        new("keep-daily 3, two a day for four days", TwicePerDay(4), new() { Daily = 3 },
            ["2026-11-23 20:00 daily", "2026-11-22 20:00 daily", "2026-11-21 20:00 daily"]),
        new("keep-daily 5 with three days keeps the oldest too", TwicePerDay(3), new() { Daily = 5 },
            ["2026-11-22 20:00 daily", "2026-11-21 20:00 daily", "2026-11-20 20:00 daily", "2026-11-20 08:00 oldest daily"]),
        new("keep-daily unlimited", TwicePerDay(3), new() { Daily = RetentionPolicy.Unlimited },
            ["2026-11-22 20:00 daily", "2026-11-21 20:00 daily", "2026-11-20 20:00 daily", "2026-11-20 08:00 oldest daily"]),
        new("keep-hourly 2", ["2026-11-20 10:05", "2026-11-20 10:30", "2026-11-20 11:10", "2026-11-20 12:00"], new() { Hourly = 2 },
            ["2026-11-20 12:00 hourly", "2026-11-20 11:10 hourly"]),
        new("keep-weekly: Sunday night and Monday morning are different ISO weeks", ["2026-11-22 23:00", "2026-11-23 01:00"], new() { Weekly = 1 },
            ["2026-11-23 01:00 weekly"]),
        new("keep-weekly across New Year: 2020-12-31 and 2021-01-03 are both ISO week 53 of 2020", ["2020-12-31 12:00", "2021-01-03 12:00"], new() { Weekly = 2 },
            ["2021-01-03 12:00 weekly", "2020-12-31 12:00 oldest weekly"]),
        new("keep-yearly 2", ["2024-03-01 10:00", "2024-09-01 10:00", "2025-06-01 10:00", "2026-01-02 10:00"], new() { Yearly = 2 },
            ["2026-01-02 10:00 yearly", "2025-06-01 10:00 yearly"]),
        new("keep-monthly 3 at month ends", ["2026-08-31 23:59", "2026-09-01 00:00", "2026-09-30 23:00", "2026-10-01 01:00", "2026-10-31 22:00"], new() { Monthly = 3 },
            ["2026-10-31 22:00 monthly", "2026-09-30 23:00 monthly", "2026-08-31 23:59 monthly"]),
        new("keep-within 2d counts back from the newest snapshot, not from now", ["2026-11-01 10:00", "2026-11-02 10:00", "2026-11-03 10:00", "2026-11-04 10:00", "2026-11-05 10:00"],
            new() { Within = RetentionDuration.Parse("2d") }, ["2026-11-05 10:00 within 2d", "2026-11-04 10:00 within 2d"]),
        new("keep-within: exactly at the boundary is outside", ["2026-11-04 10:00", "2026-11-05 10:00"], new() { Within = RetentionDuration.Parse("1d") },
            ["2026-11-05 10:00 within 1d"]),
        new("keep-within 1m from March 31st reaches back to February 29th", ["2024-02-28 12:00", "2024-02-29 12:00", "2024-03-15 12:00", "2024-03-31 10:00"],
            new() { Within = RetentionDuration.Parse("1m") }, ["2024-03-31 10:00 within 1m", "2024-03-15 12:00 within 1m", "2024-02-29 12:00 within 1m"]),
        new("keep-within 1y2m3d4h: from 2026-11-26 07:00 back to 2025-09-23 03:00", ["2025-09-22 12:00", "2025-09-23 03:00", "2025-09-23 04:00", "2026-11-26 07:00"],
            new() { Within = RetentionDuration.Parse("1y2m3d4h") }, ["2026-11-26 07:00 within 1y2m3d4h", "2025-09-23 04:00 within 1y2m3d4h"]),
        new("keep-within-daily 3d: newest per day inside the span only", TwicePerDay(5), new() { WithinDaily = RetentionDuration.Parse("3d") },
            ["2026-11-24 20:00 daily within 3d", "2026-11-23 20:00 daily within 3d", "2026-11-22 20:00 daily within 3d"]),
        new("keep-within-daily 10d reaching past the oldest keeps the oldest too", TwicePerDay(3), new() { WithinDaily = RetentionDuration.Parse("10d") },
            ["2026-11-22 20:00 daily within 10d", "2026-11-21 20:00 daily within 10d", "2026-11-20 20:00 daily within 10d", "2026-11-20 08:00 oldest daily within 10d"]),
        new("keep-within-hourly 2h", ["2026-11-20 08:10", "2026-11-20 09:10", "2026-11-20 09:40", "2026-11-20 10:20", "2026-11-20 10:50"],
            new() { WithinHourly = RetentionDuration.Parse("2h") }, ["2026-11-20 10:50 hourly within 2h", "2026-11-20 09:40 hourly within 2h"]),
        new("doc: keep-within-weekly 1m with keep-within-monthly 1y", ["2025-10-15 10:00", "2026-05-10 10:00", "2026-05-20 10:00", "2026-10-30 10:00", "2026-11-10 10:00", "2026-11-11 10:00", "2026-11-20 10:00"],
            new() { WithinWeekly = RetentionDuration.Parse("1m"), WithinMonthly = RetentionDuration.Parse("1y") },
            ["2026-11-20 10:00 weekly within 1m+monthly within 1y", "2026-11-11 10:00 weekly within 1m", "2026-10-30 10:00 weekly within 1m+monthly within 1y", "2026-05-20 10:00 monthly within 1y"]),
        new("keep-tag: only tagged snapshots", ["2026-11-01 10:00 important", "2026-11-02 10:00", "2026-11-03 10:00 important,extra"], new() { KeepTags = [["important"]] },
            ["2026-11-03 10:00 tagged important", "2026-11-01 10:00 tagged important"]),
        new("keep-tag a,b needs both", ["2026-11-01 10:00 a", "2026-11-02 10:00 a,b", "2026-11-03 10:00 b"], new() { KeepTags = [["a", "b"]] },
            ["2026-11-02 10:00 tagged a,b"]),
        new("keep-tag '' keeps the untagged", ["2026-11-01 10:00 a", "2026-11-02 10:00", "2026-11-03 10:00 b"], new() { KeepTags = [[]] },
            ["2026-11-02 10:00 untagged"]),
        new("keep-tag a or keep-tag b", ["2026-11-01 10:00 a", "2026-11-02 10:00", "2026-11-03 10:00 b"], new() { KeepTags = [["a"], ["b"]] },
            ["2026-11-03 10:00 tagged b", "2026-11-01 10:00 tagged a"]),
        new("rules are ORed and reasons add up", TwicePerDay(3), new() { Last = 1, Daily = 2 },
            ["2026-11-22 20:00 last+daily", "2026-11-21 20:00 daily"]),
        new("a snapshot in the future is kept by a duration rule and does not move its span", ["2026-11-20 10:00", "2026-11-25 10:00", "2026-11-30 10:00"],
            new() { Within = RetentionDuration.Parse("1d") }, ["2026-11-30 10:00 in the future", "2026-11-25 10:00 within 1d"]),
        new("a snapshot in the future counts like any other for count rules", ["2026-11-20 10:00", "2026-11-25 10:00", "2026-11-30 10:00"], new() { Last = 1 },
            ["2026-11-30 10:00 last"]),
        new("daily periods of another time zone", ["2026-11-20 10:00", "2026-11-20 20:00"], new() { Daily = 2 },
            ["2026-11-20 20:00 daily", "2026-11-20 10:00 daily"], PlusFive),
        new("the same in UTC is one day, and the oldest rides along", ["2026-11-20 10:00", "2026-11-20 20:00"], new() { Daily = 2 },
            ["2026-11-20 20:00 daily", "2026-11-20 10:00 oldest daily"]),
        new("keep-monthly unlimited over weekly backups", [.. Enumerable.Range(0, 10).Select(i => new DateTime(2026, 8, 3, 9, 0, 0).AddDays(7 * i).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))],
            new() { Monthly = RetentionPolicy.Unlimited },
            ["2026-10-05 09:00 monthly", "2026-09-28 09:00 monthly", "2026-08-31 09:00 monthly", "2026-08-03 09:00 oldest monthly"]),
        new("keep-weekly 4 over three weeks of daily backups", [.. Enumerable.Range(0, 21).Select(i => new DateTime(2026, 11, 2, 22, 0, 0).AddDays(i).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))],
            new() { Weekly = 4 }, ["2026-11-22 22:00 weekly", "2026-11-15 22:00 weekly", "2026-11-08 22:00 weekly", "2026-11-02 22:00 oldest weekly"]),
        new("one snapshot and keep-last 1", ["2026-11-20 10:00"], new() { Last = 1 }, ["2026-11-20 10:00 last"]),
        new("no snapshots, nothing to decide", [], new() { Daily = 7 }, []),
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Decisions_match_the_golden_answer(Scenario scenario)
    {
        var snapshots = scenario.Snapshots.Select(Parse).ToList();

        var decisions = Core.Retention.Retention.Apply(snapshots, scenario.Policy, Now, scenario.Zone ?? TimeZoneInfo.Utc);

        Assert.Equal(snapshots.Count, decisions.Count);
        var kept = decisions.Where(d => d.Keep).Select(d => $"{d.Snapshot.Time.UtcDateTime:yyyy-MM-dd HH:mm} {string.Join("+", d.Reasons)}").ToArray();
        Assert.Equal(scenario.Kept, kept);
        Assert.All(decisions.Where(d => !d.Keep), d => Assert.Equal(["no rule keeps it"], d.Reasons));
    }

    [Fact]
    public void There_are_at_least_thirty_scenarios() => Assert.True(Scenarios.Count >= 30);

    [Theory]
    [InlineData("7d", 0, 0, 7, 0)]
    [InlineData("2y5m7d3h", 2, 5, 7, 3)]
    [InlineData("1m", 0, 1, 0, 0)]
    [InlineData("36h", 0, 0, 0, 36)]
    public void Durations_parse_as_restic_writes_them(string text, int years, int months, int days, int hours) =>
        Assert.Equal(new RetentionDuration(years, months, days, hours), RetentionDuration.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("1w")]
    [InlineData("5")]
    [InlineData("1d1d")]
    [InlineData("d")]
    public void Malformed_durations_are_refused(string text) =>
        Assert.Throws<FormatException>(() => RetentionDuration.Parse(text));

    /// <summary>"yyyy-MM-dd HH:mm[ tag,tag]" as a snapshot in UTC with an ID derived from the text.</summary>
    private static Snapshot Parse(string text)
    {
        var parts = text.Split(' ');
        var time = DateTimeOffset.ParseExact($"{parts[0]} {parts[1]}", "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return new Snapshot
        {
            Id = new SnapshotId(Digest.OfContent(Encoding.UTF8.GetBytes(text))),
            Time = time,
            Host = "host",
            Paths = ["/data"],
            Tags = parts.Length > 2 ? parts[2].Split(',') : [],
            Tree = new BlobId(Digest.OfContent([])),
        };
    }
}
