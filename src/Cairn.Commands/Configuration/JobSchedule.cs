using Cronos;

namespace Cairn.Commands.Configuration;

/// <summary>
/// A job's schedule: a cron expression of five fields (minute hour day-of-month month day-of-week) or six, with
/// seconds first; names (<c>mon</c>, <c>jan</c>) and macros (<c>@daily</c>, <c>@hourly</c>) work. Times are local.
/// </summary>
public sealed class JobSchedule
{
    private readonly CronExpression _expression;

    private JobSchedule(string text, CronExpression expression)
    {
        Text = text;
        _expression = expression;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>Parses an expression, or returns null with the reason.</summary>
    public static JobSchedule? TryParse(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            var format = fields.Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
            error = null;
            return new JobSchedule(text, CronExpression.Parse(string.Join(' ', fields), format));
        }
        catch (CronFormatException e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>The first time after <paramref name="from"/> it is due, or null when never again.</summary>
    public DateTimeOffset? Next(DateTimeOffset from) => _expression.GetNextOccurrence(from, TimeZoneInfo.Local);

    /// <inheritdoc/>
    public override string ToString() => Text;
}
