namespace Cairn.Cli.Json;

/// <summary>What <c>key remove --json</c> prints: the removed key's ID.</summary>
internal sealed record RemovedKeyReport(string? Removed);
