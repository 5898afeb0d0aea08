namespace Cairn.Cli.Json;

/// <summary>What <c>job set|remove --json</c> prints: the job and the configuration file it changed.</summary>
internal sealed record JobFileReport(string? Job, string File);
