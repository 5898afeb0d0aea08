using System.Text.Json.Serialization;

namespace Cairn.Commands.Inspect;

/// <summary>One node as <c>cat tree</c> prints it.</summary>
internal sealed record CatTreeNode(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("mode")] string Mode,
    uint Uid,
    uint Gid,
    string? User,
    string? Group,
    long Size,
    [property: JsonPropertyName("mtime")] DateTimeOffset Mtime,
    [property: JsonPropertyName("content")] List<string> Content,
    [property: JsonPropertyName("subtree")] string? Subtree);
