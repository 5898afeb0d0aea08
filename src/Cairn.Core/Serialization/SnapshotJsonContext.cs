using System.Text.Json.Serialization;
using Cairn.Core.Snapshots;

namespace Cairn.Core.Serialization;

/// <summary>Compile-time JSON serialisers for the two sections of a snapshot file; absent values are left out.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SnapshotSummarySection))]
[JsonSerializable(typeof(SnapshotDetailSection))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;
