using System.Text.RegularExpressions;
using Cairn.Core;
using Cairn.Core.Repository;
using Cairn.Core.Retention;
using Cairn.Storage;

namespace Cairn.Commands.Policies;

/// <summary><c>cairn policy set|show|remove</c>: named retention policies kept in the repository.</summary>
public static partial class PolicyHandlers
{
    /// <summary>Stores a policy, replacing one of the same name (exclusive lock, so no forget decides meanwhile).</summary>
    public static async Task SetAsync(Repository repository, StoredPolicy policy, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(policy);
        if (!ValidName().IsMatch(policy.Name))
            throw new CairnException(ErrorKind.Usage, $"invalid policy name '{policy.Name}'", "use lower-case letters, digits, '-' and '_' (at most 64)");
        if (policy.ToRetentionPolicy().IsEmpty && policy.DestroyAfter is null)
            throw new CairnException(ErrorKind.Usage, $"policy {policy.Name} has no rule", "give --keep-* rules, --destroy-after, or both");
        await using var repositoryLock = await repository.LockAsync(exclusive: true, "policy", ct).ConfigureAwait(false);
        await repository.Storage.CreateAsync(ct).ConfigureAwait(false); // repositories older than policies/ lack the directory
        await repository.WritePolicyAsync(policy, ct).ConfigureAwait(false);
    }

    /// <summary>The stored policies, by name.</summary>
    public static Task<List<StoredPolicy>> ShowAsync(Repository repository, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return repository.LoadPoliciesAsync(ct);
    }

    /// <summary>Removes a policy.</summary>
    public static async Task RemoveAsync(Repository repository, string name, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        await using var repositoryLock = await repository.LockAsync(exclusive: true, "policy", ct).ConfigureAwait(false);
        if ((await repository.LoadPoliciesAsync(ct).ConfigureAwait(false)).All(p => p.Name != name))
            throw new CairnException(ErrorKind.InvalidInput, $"no policy named '{name}'", "list them with 'cairn policy show'");
        await repository.Storage.DeleteAsync(new ObjectName(ObjectKind.Policy, name), ct).ConfigureAwait(false);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex ValidName();
}
