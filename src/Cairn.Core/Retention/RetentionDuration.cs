using System.Globalization;
using System.Text;

namespace Cairn.Core.Retention;

/// <summary>
/// A calendar span for <c>--keep-within</c> options, written as restic writes it: years, months, days and hours,
/// e.g. <c>1y6m</c>, <c>7d</c>, <c>2y5m7d3h</c> (<c>m</c> is months; there are no minutes and no weeks).
/// </summary>
/// <param name="Years">Years.</param>
/// <param name="Months">Months.</param>
/// <param name="Days">Days.</param>
/// <param name="Hours">Hours.</param>
public readonly record struct RetentionDuration(int Years, int Months, int Days, int Hours)
{
    /// <summary>Parses <c>NyNmNdNh</c> (any of the parts, in that order or not, each at most once).</summary>
    public static RetentionDuration Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int? years = null, months = null, days = null, hours = null;
        var number = new StringBuilder();
        foreach (var c in text.Trim())
        {
            if (char.IsAsciiDigit(c))
            {
                number.Append(c);
                continue;
            }
            if (number.Length == 0 || !int.TryParse(number.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                throw Invalid(text);
            number.Clear();
            switch (c)
            {
                case 'y' when years is null: years = value; break;
                case 'm' when months is null: months = value; break;
                case 'd' when days is null: days = value; break;
                case 'h' when hours is null: hours = value; break;
                default: throw Invalid(text);
            }
        }
        if (number.Length > 0 || (years ?? months ?? days ?? hours) is null)
            throw Invalid(text);
        return new RetentionDuration(years ?? 0, months ?? 0, days ?? 0, hours ?? 0);
    }

    /// <summary>The moment this span after <paramref name="time"/>.</summary>
    public DateTimeOffset After(DateTimeOffset time) => time.AddYears(Years).AddMonths(Months).AddDays(Days).AddHours(Hours);

    /// <summary>The moment this span before <paramref name="time"/>.</summary>
    public DateTimeOffset Before(DateTimeOffset time) => time.AddYears(-Years).AddMonths(-Months).AddDays(-Days).AddHours(-Hours);

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Years > 0)
            sb.Append(CultureInfo.InvariantCulture, $"{Years}y");
        if (Months > 0)
            sb.Append(CultureInfo.InvariantCulture, $"{Months}m");
        if (Days > 0)
            sb.Append(CultureInfo.InvariantCulture, $"{Days}d");
        if (Hours > 0 || sb.Length == 0)
            sb.Append(CultureInfo.InvariantCulture, $"{Hours}h");
        return sb.ToString();
    }

    private static FormatException Invalid(string text) =>
        new($"invalid duration '{text}': use years, months, days and hours, e.g. 1y6m, 7d or 2y5m7d3h (m is months)");
}
