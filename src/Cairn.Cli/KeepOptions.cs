using System.CommandLine;
using System.Globalization;
using Cairn.Core;
using Cairn.Core.Retention;

namespace Cairn.Cli;

/// <summary>The --keep-* options that describe a retention policy, shared by <c>forget</c> and <c>policy set</c>.</summary>
internal sealed class KeepOptions
{
    private readonly Option<string?>[] _counts = new (string Name, string Alias, string What)[]
    {
        ("--keep-last", "-l", "the N most recent snapshots"),
        ("--keep-hourly", "-H", "the newest snapshot of each of the last N hours that have one"),
        ("--keep-daily", "-d", "the newest snapshot of each of the last N days that have one"),
        ("--keep-weekly", "-w", "the newest snapshot of each of the last N weeks (Monday to Sunday) that have one"),
        ("--keep-monthly", "-m", "the newest snapshot of each of the last N months that have one"),
        ("--keep-yearly", "-y", "the newest snapshot of each of the last N years that have one"),
    }.Select(c => new Option<string?>(c.Name, c.Alias) { Description = $"keep {c.What} ('unlimited' for all)" }).ToArray();

    private readonly Option<string?>[] _spans = new (string Name, string What)[]
    {
        ("--keep-within", "every snapshot"),
        ("--keep-within-hourly", "the newest snapshot of every hour"),
        ("--keep-within-daily", "the newest snapshot of every day"),
        ("--keep-within-weekly", "the newest snapshot of every week"),
        ("--keep-within-monthly", "the newest snapshot of every month"),
        ("--keep-within-yearly", "the newest snapshot of every year"),
    }.Select(s => new Option<string?>(s.Name) { Description = $"keep {s.What} within DURATION (e.g. 1y6m, 7d, 36h; m is months) of the newest snapshot" }).ToArray();

    private readonly Option<string[]> _keepTag = new("--keep-tag") { Description = "keep snapshots with all of these tags (TAG[,TAG]; repeatable; '' for untagged ones)" };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in _counts.Concat(_spans))
            command.Options.Add(o);
        command.Options.Add(_keepTag);
    }

    /// <summary>The policy the options describe (empty when none is given).</summary>
    public RetentionPolicy Parse(ParseResult r) => new()
    {
        Last = Count(r, _counts[0]),
        Hourly = Count(r, _counts[1]),
        Daily = Count(r, _counts[2]),
        Weekly = Count(r, _counts[3]),
        Monthly = Count(r, _counts[4]),
        Yearly = Count(r, _counts[5]),
        Within = Span(r, _spans[0]),
        WithinHourly = Span(r, _spans[1]),
        WithinDaily = Span(r, _spans[2]),
        WithinWeekly = Span(r, _spans[3]),
        WithinMonthly = Span(r, _spans[4]),
        WithinYearly = Span(r, _spans[5]),
        KeepTags = [.. (r.GetValue(_keepTag) ?? []).Select(TagSet)],
    };

    /// <summary>"a,b" as a tag set.</summary>
    public static IReadOnlyList<string> TagSet(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Parses a duration such as 1y6m, as a usage error when it does not parse.</summary>
    public static RetentionDuration Duration(string option, string text)
    {
        try
        {
            return RetentionDuration.Parse(text);
        }
        catch (FormatException e)
        {
            throw new CairnException(ErrorKind.Usage, $"{option}: {e.Message}");
        }
    }

    private static int Count(ParseResult r, Option<string?> option)
    {
        if (r.GetValue(option) is not { } text)
            return 0;
        if (text is "unlimited" or "-1")
            return RetentionPolicy.Unlimited;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            throw new CairnException(ErrorKind.Usage, $"invalid {option.Name} '{text}'", "give a number, or 'unlimited'");
        return n;
    }

    private static RetentionDuration? Span(ParseResult r, Option<string?> option) =>
        r.GetValue(option) is { } text ? Duration(option.Name, text) : null;
}
