using System.Text.Json.Serialization;
using Cairn.Core.Format;

namespace Cairn.Commands.Inspect;

/// <summary>Compile-time serialisers for what <c>cat</c> prints: names in snake_case and nulls left out, as in every <c>--json</c> output.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RepositoryConfig))]
[JsonSerializable(typeof(SnapshotInfo))]
[JsonSerializable(typeof(List<CatTreeNode>))]
[JsonSerializable(typeof(List<CatPackEntry>))]
internal sealed partial class CatJsonContext : JsonSerializerContext;
