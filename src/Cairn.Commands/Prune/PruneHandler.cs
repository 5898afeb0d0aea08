using Cairn.Core;
using Cairn.Core.Prune;
using Cairn.Core.Repository;

namespace Cairn.Commands.Prune;

/// <summary>Runs <c>cairn prune</c>.</summary>
public static class PruneHandler
{
    /// <summary>
    /// Prunes under a shared lock, so that backups go on meanwhile; a second prune (whose lock is not stale) makes
    /// this one stop with <see cref="ErrorKind.Locked"/>.
    /// </summary>
    public static async Task<PruneResult> RunAsync(Repository repository, PruneOptions options, Action<string>? stepStarted = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        await using var own = await repository.LockAsync(exclusive: false, "prune", ct).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        foreach (var (name, info) in await RepositoryLock.ListAsync(repository.Storage, repository.Keys, ct).ConfigureAwait(false))
        {
            if (name != own.Name && info is { Operation: "prune" } && !info.IsStale(now))
                throw new CairnException(ErrorKind.Locked, $"another prune is running (PID {info.Pid} on {info.Host}, user {info.Username}) since {info.Time:u}",
                    "wait for it to finish");
        }
        return await new Pruner(repository, options, own.Name) { StepStarted = stepStarted }.RunAsync(ct).ConfigureAwait(false);
    }
}
