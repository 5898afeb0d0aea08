using Cairn.Core.Check;
using Cairn.Core.Repository;

namespace Cairn.Commands.Check;

/// <summary>Runs <c>cairn check</c>.</summary>
public static class CheckHandler
{
    /// <summary>Checks the repository as <paramref name="options"/> say (by default headers only).</summary>
    public static async Task<CheckResult> RunAsync(Repository repository, CheckOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        await using var repoLock = await repository.LockAsync(exclusive: false, "check", ct).ConfigureAwait(false);
        return await new Checker(repository, options).RunAsync(ct).ConfigureAwait(false);
    }
}
