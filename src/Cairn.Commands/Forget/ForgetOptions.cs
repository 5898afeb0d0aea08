using System.Globalization;
using Cairn.Core.Retention;

namespace Cairn.Commands.Forget;

/// <summary>Options of <c>cairn forget</c>: snapshots by name, or a retention policy applied to groups of snapshots.</summary>
public sealed record ForgetOptions
{
    /// <summary>The snapshots to remove by name: IDs, unique prefixes or <c>latest</c> (not with a policy).</summary>
    public IReadOnlyList<string> Snapshots { get; init; } = [];

    /// <summary>What to keep; the rest of each group goes.</summary>
    public RetentionPolicy Policy { get; init; } = new();

    /// <summary>How snapshots are grouped before the policy is applied to each group.</summary>
    public SnapshotGrouping GroupBy { get; init; } = SnapshotGrouping.Host | SnapshotGrouping.Paths;

    /// <summary>Only snapshots of these hosts are considered (none: every host).</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>Only snapshots with all tags of one of these sets are considered (none: every snapshot).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Tags { get; init; } = [];

    /// <summary>Only snapshots that include all these paths are considered.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Apply the retention policies stored in the repository (<c>cairn policy</c>) instead of --keep-* rules.</summary>
    public bool ApplyPolicy { get; init; }

    /// <summary>Say what would be removed; remove nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>The arguments after <c>cairn</c> that do the same.</summary>
    public IEnumerable<string> ToArguments()
    {
        yield return "forget";
        foreach (var (name, count) in new[] { ("--keep-last", Policy.Last), ("--keep-hourly", Policy.Hourly), ("--keep-daily", Policy.Daily),
            ("--keep-weekly", Policy.Weekly), ("--keep-monthly", Policy.Monthly), ("--keep-yearly", Policy.Yearly) })
        {
            if (count != 0)
                yield return CommandLine.Option(name, count == RetentionPolicy.Unlimited ? "unlimited" : count.ToString(CultureInfo.InvariantCulture));
        }
        foreach (var (name, span) in new[] { ("--keep-within", Policy.Within), ("--keep-within-hourly", Policy.WithinHourly), ("--keep-within-daily", Policy.WithinDaily),
            ("--keep-within-weekly", Policy.WithinWeekly), ("--keep-within-monthly", Policy.WithinMonthly), ("--keep-within-yearly", Policy.WithinYearly) })
        {
            if (span is { } s)
                yield return CommandLine.Option(name, s.ToString());
        }
        foreach (var tags in Policy.KeepTags)
            yield return CommandLine.Option("--keep-tag", string.Join(",", tags));
        if (GroupBy != (SnapshotGrouping.Host | SnapshotGrouping.Paths))
            yield return CommandLine.Option("--group-by", GroupByText(GroupBy));
        foreach (var host in Hosts)
            yield return CommandLine.Option("--host", host);
        foreach (var tags in Tags)
            yield return CommandLine.Option("--tag", string.Join(",", tags));
        foreach (var path in Paths)
            yield return CommandLine.Option("--path", path);
        if (ApplyPolicy)
            yield return "--apply-policy";
        if (DryRun)
            yield return "--dry-run";
        foreach (var s in Snapshots)
            yield return s;
    }

    /// <summary>Parses <c>--group-by</c>: a comma-separated list of host, paths and tags; empty for one group.</summary>
    public static SnapshotGrouping ParseGroupBy(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var grouping = SnapshotGrouping.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            grouping |= part switch
            {
                "host" => SnapshotGrouping.Host,
                "paths" => SnapshotGrouping.Paths,
                "tags" => SnapshotGrouping.Tags,
                _ => throw new FormatException($"invalid --group-by '{text}': use host, paths and tags, comma-separated, or '' for no grouping"),
            };
        }
        return grouping;
    }

    private static string GroupByText(SnapshotGrouping grouping) => string.Join(",", new[]
    {
        grouping.HasFlag(SnapshotGrouping.Host) ? "host" : null,
        grouping.HasFlag(SnapshotGrouping.Paths) ? "paths" : null,
        grouping.HasFlag(SnapshotGrouping.Tags) ? "tags" : null,
    }.OfType<string>());
}
