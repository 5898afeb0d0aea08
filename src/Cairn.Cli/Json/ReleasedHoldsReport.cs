namespace Cairn.Cli.Json;

/// <summary>What <c>hold --release --json</c> prints: how many holds were released.</summary>
internal sealed record ReleasedHoldsReport(int Released);
