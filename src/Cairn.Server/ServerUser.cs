using System.Text.Json.Serialization;

namespace Cairn.Server;

/// <summary>One account of the repository server.</summary>
/// <param name="Name">The login name; the user's own repositories live under it.</param>
/// <param name="PasswordHash">The password's hash (<see cref="Server.PasswordHash"/>).</param>
/// <param name="AppendOnly">The user may add objects and snapshots but never delete or overwrite them.</param>
/// <param name="Grants">Other users' repositories this user may use too: <c>OWNER/REPO</c> or <c>OWNER/*</c>.</param>
public sealed record ServerUser(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("password_hash")] string PasswordHash,
    [property: JsonPropertyName("append_only")] bool AppendOnly,
    [property: JsonPropertyName("grants")] IReadOnlyList<string> Grants)
{
    /// <summary>True when the user may use the repository <paramref name="owner"/>/<paramref name="repository"/>.</summary>
    public bool MayUse(string owner, string repository) =>
        owner == Name || Grants.Any(g => g == $"{owner}/{repository}" || g == $"{owner}/*");
}
