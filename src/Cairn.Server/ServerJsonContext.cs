using System.Text.Json.Serialization;

namespace Cairn.Server;

/// <summary>Compile-time JSON for the users file.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(List<ServerUser>))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
