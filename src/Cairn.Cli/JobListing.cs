using Cairn.Commands.Jobs;

namespace Cairn.Cli;

/// <summary>One line of <c>cairn jobs</c>.</summary>
/// <param name="Job">The job's name.</param>
/// <param name="Repository">Its repository's name.</param>
/// <param name="Schedule">Its cron expression, if scheduled.</param>
/// <param name="LastRun">Its last run, if it ran.</param>
/// <param name="Paths">What it backs up.</param>
/// <param name="Keep">Its retention, as forget's options and values.</param>
/// <param name="Excludes">Its exclude patterns.</param>
/// <param name="Before">Its before hooks.</param>
/// <param name="After">Its after hooks.</param>
/// <param name="OnFailure">Its on-failure hooks.</param>
internal sealed record JobListing(string Job, string Repository, string? Schedule, JobRecord? LastRun, IReadOnlyList<string> Paths, IReadOnlyDictionary<string, string> Keep,
    IReadOnlyList<string> Excludes, IReadOnlyList<string> Before, IReadOnlyList<string> After, IReadOnlyList<string> OnFailure);
