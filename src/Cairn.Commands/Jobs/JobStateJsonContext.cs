using System.Text.Json.Serialization;

namespace Cairn.Commands.Jobs;

/// <summary>Compile-time serialisers for the job state file.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Dictionary<string, JobRecord>))]
internal sealed partial class JobStateJsonContext : JsonSerializerContext;
