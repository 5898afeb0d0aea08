using System.Globalization;

namespace Cairn.Commands;

/// <summary>Sizes (<c>512M</c>, <c>1G</c>, <c>4096</c>; binary units) and durations (<c>30s</c>, <c>5m</c>, <c>2h</c>) as users write them.</summary>
public static class Units
{
    /// <summary>Parses a size in bytes with an optional K, M, G or T suffix (powers of 1024; a trailing B or iB is allowed).</summary>
    public static long ParseSize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim().ToUpperInvariant();
        t = t.EndsWith("IB", StringComparison.Ordinal) ? t[..^2] : t.EndsWith('B') ? t[..^1] : t;
        var shift = t.Length > 0 ? t[^1] switch { 'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0 } : 0;
        var number = shift > 0 ? t[..^1] : t;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < 0
            || value * Math.Pow(2, shift) > long.MaxValue)
            throw new FormatException($"invalid size '{text}': use a number of bytes, optionally with K, M, G or T (e.g. 512M)");
        return (long)(value * Math.Pow(2, shift));
    }

    /// <summary>Parses a duration: a number with s, m, h or d (seconds without a unit).</summary>
    public static TimeSpan ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim().ToLowerInvariant();
        var (number, seconds) = t.Length > 0 && char.IsLetter(t[^1])
            ? (t[..^1], t[^1] switch { 's' => 1.0, 'm' => 60.0, 'h' => 3600.0, 'd' => 86400.0, _ => double.NaN })
            : (t, 1.0);
        if (double.IsNaN(seconds) || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < 0)
            throw new FormatException($"invalid duration '{text}': use a number with s, m, h or d (e.g. 30s)");
        return TimeSpan.FromSeconds(value * seconds);
    }
}
