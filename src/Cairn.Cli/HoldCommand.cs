using System.CommandLine;
using System.Globalization;
using Cairn.Commands;
using Cairn.Commands.Holds;
using Cairn.Core;
using Cairn.Core.Retention;

namespace Cairn.Cli;

/// <summary><c>cairn hold</c>.</summary>
internal static class HoldCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("hold",
            "Keep a snapshot until a date: no forget removes it before then, neither a keep rule nor its destroy-by date. "
            + "Without SNAPSHOT, list the holds. On an append-only server holds can be placed but not released.",
            "cairn -r /srv/backup hold 3f2a1b4c --until 2027-06-30 --reason 'audit 2026'");
        var snapshot = new Argument<string?>("SNAPSHOT") { Description = "snapshot ID, unique prefix or 'latest'", Arity = ArgumentArity.ZeroOrOne };
        var until = new Option<string?>("--until") { Description = "a date (held through that day, local time), a time (2027-06-30T12:00:00Z) or a span from now (90d, 2y)" };
        var reason = new Option<string>("--reason") { Description = "why, shown by 'snapshots' and 'forget'", DefaultValueFactory = _ => "" };
        var release = new Option<bool>("--release") { Description = "release every hold on SNAPSHOT" };
        command.Arguments.Add(snapshot);
        foreach (var o in new Option[] { until, reason, release })
            command.Options.Add(o);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var r = ctx.Result;
            var target = r.GetValue(snapshot);
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            if (target is null)
            {
                if (r.GetValue(release) || r.GetValue(until) is not null)
                    throw new CairnException(ErrorKind.Usage, "name the snapshot to hold or release");
                var holds = await HoldHandlers.ListAsync(repository, ct).ConfigureAwait(false);
                if (ctx.Json)
                    ctx.WriteJson(holds);
                else
                {
                    var now = DateTimeOffset.UtcNow;
                    foreach (var h in holds)
                        ctx.Out.WriteLine($"{h.Snapshot[..8]}  {(h.IsActive(now) ? "held until" : "ended")} {Humanize.Time(h.Until)}  {h.By}  {h.Reason}");
                    ctx.Out.WriteLine($"{holds.Count(h => h.IsActive(now))} active holds");
                }
                return ExitCodes.Ok;
            }
            if (r.GetValue(release))
            {
                var released = await HoldHandlers.ReleaseAsync(repository, target, ct).ConfigureAwait(false);
                if (ctx.Json)
                    ctx.WriteJson(new Json.ReleasedHoldsReport(released));
                else if (!ctx.Quiet)
                    ctx.Out.WriteLine($"released {released} hold{(released == 1 ? "" : "s")}");
                return ExitCodes.Ok;
            }
            if (r.GetValue(until) is not { } untilText)
                throw new CairnException(ErrorKind.Usage, "give --until DATE to hold a snapshot, or --release", "e.g. cairn hold latest --until 2027-06-30");
            var hold = await HoldHandlers.PlaceAsync(repository, target, ParseUntil(untilText), r.GetValue(reason) ?? "", ct).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(hold);
            else if (!ctx.Quiet)
                ctx.Out.WriteLine($"snapshot {hold.Snapshot[..8]} {hold.Describe()}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>A date means the end of that day in local time; a time is taken as written; a span counts from now.</summary>
    private static DateTimeOffset ParseUntil(string text)
    {
        if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var day))
            return new DateTimeOffset(day.AddDays(1).AddTicks(-1));
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time))
            return time;
        try
        {
            return RetentionDuration.Parse(text).After(DateTimeOffset.Now);
        }
        catch (FormatException)
        {
            throw new CairnException(ErrorKind.Usage, $"invalid --until '{text}'", "give a date (2027-06-30), a time (2027-06-30T12:00:00Z) or a span (90d, 2y)");
        }
    }
}
