namespace Cairn.Cli.Json;

/// <summary>What <c>unlock --json</c> prints: how many locks were removed.</summary>
internal sealed record RemovedLocksReport(int Removed);
