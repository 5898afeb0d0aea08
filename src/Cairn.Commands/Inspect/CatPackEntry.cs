using System.Text.Json.Serialization;

namespace Cairn.Commands.Inspect;

/// <summary>One blob of a pack's header as <c>cat pack</c> prints it.</summary>
internal sealed record CatPackEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("compression")] string Compression,
    [property: JsonPropertyName("offset")] long Offset,
    [property: JsonPropertyName("stored_length")] long StoredLength,
    [property: JsonPropertyName("raw_length")] long RawLength);
