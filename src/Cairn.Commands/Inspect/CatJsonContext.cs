using System.Text.Json.Serialization;
using Cairn.Core.Format;

namespace Cairn.Commands.Inspect;

/// <summary>Compile-time serialisers for what <c>cat</c> prints.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(RepositoryConfig))]
[JsonSerializable(typeof(SnapshotInfo))]
[JsonSerializable(typeof(List<CatTreeNode>))]
[JsonSerializable(typeof(List<CatPackEntry>))]
internal sealed partial class CatJsonContext : JsonSerializerContext;
