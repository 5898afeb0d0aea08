namespace Cairn.Cli.Json;

/// <summary>One user in <c>serve users list --json</c>: everything but the password hash.</summary>
internal sealed record ServerUserListing(string Name, bool AppendOnly, IReadOnlyList<string> Grants);
