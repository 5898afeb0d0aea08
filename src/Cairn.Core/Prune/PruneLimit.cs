using System.Globalization;

namespace Cairn.Core.Prune;

/// <summary>How much unused data prune leaves: a share of the packs' size after prune, or a number of bytes.</summary>
public readonly record struct PruneLimit(double? Percent, long? Bytes)
{
    /// <summary>10 %: repacking costs a read and a write of the pack's used part; a little waste is cheaper.</summary>
    public static PruneLimit Default { get; } = new(10, null);

    /// <summary>Leave no unused data: repack every pack that holds some.</summary>
    public static PruneLimit None { get; } = new(null, 0);

    /// <summary>The unused bytes allowed next to <paramref name="usedBytes"/> of used data.</summary>
    public long AllowedNextTo(long usedBytes) => Percent switch
    {
        >= 100 => long.MaxValue,
        { } p => (long)(usedBytes * p / (100 - p)),
        null => Bytes ?? 0,
    };

    /// <summary>Parses "10%", "0", "500M", "2G" or "unlimited".</summary>
    public static PruneLimit Parse(string text, Func<string, long> parseSize)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(parseSize);
        text = text.Trim();
        if (text == "unlimited")
            return new PruneLimit(100, null);
        if (text.EndsWith('%'))
        {
            if (!double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || p < 0 || p > 100)
                throw new FormatException($"'{text}' is not a share between 0% and 100%");
            return new PruneLimit(p, null);
        }
        return new PruneLimit(null, parseSize(text));
    }

    /// <inheritdoc/>
    public override string ToString() => Percent is { } p ? p.ToString(CultureInfo.InvariantCulture) + "%" : $"{Bytes} bytes";
}
