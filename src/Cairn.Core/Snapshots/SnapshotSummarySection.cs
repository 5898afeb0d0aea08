using System.Text.Json.Serialization;

namespace Cairn.Core.Snapshots;

/// <summary>The JSON of a snapshot's summary section (readable with the snapshot-summary key alone).</summary>
internal sealed class SnapshotSummarySection
{
    [JsonPropertyName("version")] public int Version { get; set; }
    [JsonPropertyName("time")] public DateTimeOffset Time { get; set; }
    [JsonPropertyName("host")] public string? Host { get; set; }
    [JsonPropertyName("tags")] public List<string>? Tags { get; set; }
    [JsonPropertyName("program_version")] public string? ProgramVersion { get; set; }
    [JsonPropertyName("summary")] public SnapshotSummary? Summary { get; set; }
    [JsonPropertyName("destroy_after")] public DateTimeOffset? DestroyAfter { get; set; }
}
