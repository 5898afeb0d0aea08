using System.Text.Json.Serialization;
using Cairn.Core.Crypto;

namespace Cairn.Core.Serialization;

/// <summary>Compile-time JSON serialiser for key files, indented: they are plain JSON people may read.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(KeyFile))]
internal sealed partial class KeyFileJsonContext : JsonSerializerContext;
