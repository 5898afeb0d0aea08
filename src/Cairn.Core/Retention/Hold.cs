using System.Text.Json.Serialization;

namespace Cairn.Core.Retention;

/// <summary>
/// A hold (<c>holds/NAME</c>): the snapshot must be kept until <see cref="Until"/>; no forget removes it before then,
/// neither a keep rule nor a destroy-by date. Releasing a hold deletes its object.
/// </summary>
public sealed record Hold
{
    /// <summary>The held snapshot's ID (64 hex characters).</summary>
    [JsonPropertyName("snapshot")] public string Snapshot { get; init; } = "";
    /// <summary>Until when it is held.</summary>
    [JsonPropertyName("until")] public DateTimeOffset Until { get; init; }
    /// <summary>Why, in the words of whoever placed it.</summary>
    [JsonPropertyName("reason")] public string Reason { get; init; } = "";
    /// <summary>When the hold was placed.</summary>
    [JsonPropertyName("created")] public DateTimeOffset Created { get; init; }
    /// <summary>Who placed it: user@host.</summary>
    [JsonPropertyName("by")] public string By { get; init; } = "";

    /// <summary>True while the hold applies.</summary>
    public bool IsActive(DateTimeOffset now) => Until > now;

    /// <summary>The hold as a keep reason, e.g. "held until 2027-01-31 (legal case 12)".</summary>
    public string Describe() => $"held until {Until.UtcDateTime:yyyy-MM-dd HH:mm}" + (Reason.Length > 0 ? $" ({Reason})" : "");
}
