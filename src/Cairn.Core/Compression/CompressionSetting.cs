using System.Globalization;

namespace Cairn.Core.Compression;

/// <summary>
/// What the user asked for with <c>--compression</c>: <c>off</c>, <c>auto</c>, <c>fastest</c>, <c>default</c>,
/// <c>max</c> or a zstd level 1–22.
/// </summary>
/// <param name="Level">zstd level; 0 means off.</param>
/// <param name="Auto">When true, blobs that do not shrink by 3% are stored as they are (with the managed fallback, a cheap probe spares compressing them).</param>
public readonly record struct CompressionSetting(int Level, bool Auto)
{
    /// <summary>No compression.</summary>
    public static CompressionSetting Off => new(0, false);
    /// <summary>The default: zstd level 3, and incompressible data stored without compression.</summary>
    public static CompressionSetting AutoDefault => new(3, true);

    /// <summary>Parses the <c>--compression</c> value.</summary>
    public static CompressionSetting Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "off" or "none" or "0" => Off,
            "auto" => AutoDefault,
            "fastest" => new(1, false),
            "default" => new(3, false),
            "max" => new(19, false),
            var n when int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var level) && level is >= 1 and <= 22 => new(level, false),
            _ => throw new FormatException($"invalid compression '{text}': use off, auto, fastest, default, max or a level 1-22"),
        };
    }

    /// <inheritdoc/>
    public override string ToString() => Auto ? "auto" : Level == 0 ? "off" : Level.ToString(CultureInfo.InvariantCulture);
}
