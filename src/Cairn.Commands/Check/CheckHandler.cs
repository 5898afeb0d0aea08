using Cairn.Core.Check;
using Cairn.Core.Repository;

namespace Cairn.Commands.Check;

/// <summary>Runs <c>cairn check</c>.</summary>
public static class CheckHandler
{
    /// <summary>Checks the repository; <paramref name="readDataPercent"/> 0 reads headers only, 100 reads everything.</summary>
    public static async Task<CheckResult> RunAsync(Repository repository, double readDataPercent, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        await using var repoLock = await repository.LockAsync(exclusive: false, "check", ct).ConfigureAwait(false);
        return await new Checker(repository, new CheckOptions(readDataPercent)).RunAsync(ct).ConfigureAwait(false);
    }
}
