using System.Text.Json.Serialization;

namespace Cairn.Core.Snapshots;

/// <summary>The JSON of a snapshot's detail section (sealed with the metadata key).</summary>
internal sealed class SnapshotDetailSection
{
    [JsonPropertyName("tree")] public string? Tree { get; set; }
    [JsonPropertyName("paths")] public List<string>? Paths { get; set; }
    [JsonPropertyName("parent")] public string? Parent { get; set; }
    [JsonPropertyName("username")] public string? Username { get; set; }
    [JsonPropertyName("excludes")] public List<string>? Excludes { get; set; }
    [JsonPropertyName("repaired_from")] public string? RepairedFrom { get; set; }
    [JsonPropertyName("lost")] public List<string>? Lost { get; set; }
    [JsonPropertyName("copied_from")] public string? CopiedFrom { get; set; }
}
