using System.Text.Json;
using System.Text.Json.Serialization;

using Cairn.Core.Serialization;

namespace Cairn.Core.Format;

/// <summary>The repository's configuration (<c>config</c>, an <see cref="EnvelopeType.Config"/> envelope of JSON).</summary>
public sealed record RepositoryConfig
{
    /// <summary>The newest repository format version this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Repository format version.</summary>
    [JsonPropertyName("version")] public int Version { get; init; } = CurrentVersion;
    /// <summary>Random repository ID (64 hex characters).</summary>
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    /// <summary>When the repository was created.</summary>
    [JsonPropertyName("created")] public DateTimeOffset Created { get; init; }
    /// <summary>Chunk sizes.</summary>
    [JsonPropertyName("chunker")] public ChunkerParameters Chunker { get; init; } = ChunkerParameters.Default;
    /// <summary>Packs are closed once they reach this many bytes.</summary>
    [JsonPropertyName("pack_size")] public int PackSize { get; init; } = 16 * 1024 * 1024;
    /// <summary>The default compression for backups ("auto", "off", a level).</summary>
    [JsonPropertyName("compression")] public string Compression { get; init; } = "auto";
    /// <summary>
    /// Only in a repository made with <c>init --copy-chunker-params</c>: the source's chunk-ID, chunker and tree-ID keys,
    /// as an IdKeys envelope (sealed with the data key) in base64.
    /// </summary>
    [JsonPropertyName("id_keys")] public string? IdKeys { get; init; }

    /// <summary>Serialises to JSON.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, FormatJsonContext.Default.RepositoryConfig);

    /// <summary>Parses JSON.</summary>
    public static RepositoryConfig FromJson(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, FormatJsonContext.Default.RepositoryConfig) ?? throw new JsonException("empty config");
}
