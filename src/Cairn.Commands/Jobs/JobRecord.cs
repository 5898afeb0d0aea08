namespace Cairn.Commands.Jobs;

/// <summary>The last run of a job, as <c>cairn jobs</c> shows it.</summary>
/// <param name="Job">The job's name.</param>
/// <param name="Started">When the run began.</param>
/// <param name="Finished">When it ended.</param>
/// <param name="Status">"ok", "warning" (finished, but some entries were not read in full) or "failed".</param>
/// <param name="ExitCode">The exit code <c>cairn run</c> gave.</param>
/// <param name="Snapshot">The snapshot the backup made, if any.</param>
/// <param name="Message">Why it failed, or what to know.</param>
public sealed record JobRecord(string Job, DateTimeOffset Started, DateTimeOffset Finished, string Status, int ExitCode, string? Snapshot, string? Message)
{
    /// <summary>How long the run took.</summary>
    public TimeSpan Duration => Finished - Started;
}
