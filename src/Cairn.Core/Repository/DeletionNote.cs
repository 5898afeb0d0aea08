using System.Text.Json.Serialization;

namespace Cairn.Core.Repository;

/// <summary>
/// A deferred deletion of prune (<c>pending/NAME</c>): packs no index names any more, which leave the repository
/// once every operation that could still use them has ended. See docs/PRUNE.md.
/// </summary>
public sealed record DeletionNote
{
    /// <summary>When the note was written.</summary>
    [JsonPropertyName("created")] public DateTimeOffset Created { get; init; }
    /// <summary>The packs to delete.</summary>
    [JsonPropertyName("packs")] public IReadOnlyList<string> Packs { get; init; } = [];
    /// <summary>The index files the prune replaced; removed before the note is ready.</summary>
    [JsonPropertyName("index_files")] public IReadOnlyList<string> IndexFiles { get; init; } = [];
    /// <summary>
    /// True once the replaced index files are gone: from then on no operation that starts can see the packs, and
    /// <see cref="WaitFor"/> names every lock of an operation that might have.
    /// </summary>
    [JsonPropertyName("ready")] public bool Ready { get; init; }
    /// <summary>True when the prune that wrote the note was asked to overwrite the packs with zeros before deleting them.</summary>
    [JsonPropertyName("overwrite")] public bool Overwrite { get; init; }
    /// <summary>The lock files held when the note became ready; the packs go once none of them is held.</summary>
    [JsonPropertyName("wait_for")] public IReadOnlyList<string> WaitFor { get; init; } = [];
}
