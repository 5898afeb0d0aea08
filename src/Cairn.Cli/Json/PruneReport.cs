using Cairn.Core.Prune;

namespace Cairn.Cli.Json;

/// <summary>What <c>prune --json</c> prints: the plan and what was done, flat.</summary>
internal sealed record PruneReport(bool DryRun, List<string> DeletePacks, List<string> RepackPacks, int KeepPacks, long DeleteBytes,
    long RepackBytes, long RepackUsedBytes, long UsedBytes, long UnusedBytesBefore, long UnusedBytesAfter, long TotalBytesBefore,
    long FreedBytes, long PacksWritten, int PacksDeleted, long BytesDeleted, int PacksKeptForRunningBackups, int NotesWaiting,
    int PacksWaiting, IReadOnlyList<string> WaitingFor, int PacksAwaitingOverwrite)
{
    public static PruneReport From(PruneResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plan = result.Plan;
        return new PruneReport(result.DryRun, plan.Delete.Select(p => p.ToString()).ToList(), plan.Repack.Select(p => p.ToString()).ToList(),
            plan.Keep, plan.DeleteBytes, plan.RepackBytes, plan.RepackUsedBytes, plan.UsedBytes, plan.UnusedBytesBefore, plan.UnusedBytesAfter,
            plan.TotalBytesBefore, plan.FreedBytes, result.PacksWritten, result.PacksDeleted, result.BytesDeleted, result.PacksKept,
            result.NotesWaiting, result.PacksWaiting, result.WaitingFor, result.PacksAwaitingOverwrite);
    }
}
