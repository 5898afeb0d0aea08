using System.Text.Json.Serialization;

namespace Cairn.Core.Format;

/// <summary>The chunk sizes a repository was created with; fixed for its lifetime so that chunks deduplicate.</summary>
/// <param name="MinSize">No chunk is smaller, except the last of a file.</param>
/// <param name="AverageSize">The size chunks tend to; a power of two.</param>
/// <param name="MaxSize">No chunk is larger.</param>
public sealed record ChunkerParameters(
    [property: JsonPropertyName("min_size")] int MinSize,
    [property: JsonPropertyName("avg_size")] int AverageSize,
    [property: JsonPropertyName("max_size")] int MaxSize)
{
    /// <summary>512 KiB / 1 MiB / 8 MiB: see docs/FORMAT.md, "Chunking", for why.</summary>
    public static ChunkerParameters Default { get; } = new(512 * 1024, 1024 * 1024, 8 * 1024 * 1024);

    /// <summary>Checks the sizes are usable: 64 B ≤ min ≤ avg ≤ max ≤ 64 MiB, avg a power of two.</summary>
    public void Validate()
    {
        if (MinSize < 64 || MinSize > AverageSize || AverageSize > MaxSize || MaxSize > 64 * 1024 * 1024
            || (AverageSize & (AverageSize - 1)) != 0)
            throw new ArgumentException($"invalid chunk sizes {MinSize}/{AverageSize}/{MaxSize}: need 64 <= min <= avg <= max <= 64 MiB and avg a power of two");
    }
}
