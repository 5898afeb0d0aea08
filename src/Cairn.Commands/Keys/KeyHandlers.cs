using Cairn.Core;
using Cairn.Core.Crypto;
using Cairn.Core.Repository;
using Cairn.Storage;

namespace Cairn.Commands.Keys;

/// <summary><c>cairn key list|add|remove|passwd</c> and <c>cairn unlock</c>.</summary>
public static class KeyHandlers
{
    /// <summary>Lists the keys.</summary>
    public static async Task<List<KeyInfo>> ListAsync(Repository repository, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var result = new List<KeyInfo>();
        foreach (var name in await repository.ListAsync(ObjectKind.Key, ct).ConfigureAwait(false))
        {
            var key = KeyFile.FromJson(await repository.Storage.ReadAllAsync(name, ct).ConfigureAwait(false));
            result.Add(new KeyInfo(name.Name, name.Name == repository.KeyName, key.Created, key.Host, key.Username));
        }
        return [.. result.OrderBy(k => k.Created)];
    }

    /// <summary>Adds a key for another password (the current one unwraps the master secret); returns its ID.</summary>
    public static async Task<string> AddAsync(Repository repository, byte[] currentPassword, byte[] newPassword, KdfParameters kdf, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        if (newPassword is null || newPassword.Length == 0)
            throw new CairnException(ErrorKind.InvalidInput, "an empty password is not allowed");
        var current = KeyFile.FromJson(await repository.Storage.ReadAllAsync(new ObjectName(ObjectKind.Key, repository.KeyName), ct).ConfigureAwait(false));
        var master = current.TryUnwrap(currentPassword) ?? throw new CairnException(ErrorKind.WrongPassword, "wrong password");
        try
        {
            var key = KeyFile.Create(master, newPassword, kdf);
            var id = Repository.NewRandomName();
            await repository.Storage.WriteAsync(new ObjectName(ObjectKind.Key, id), key.ToJson(), ct).ConfigureAwait(false);
            return id;
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(master);
        }
    }

    /// <summary>Changes the password of the key in use: adds a key for the new password, then removes the old key.</summary>
    public static async Task<string> ChangePasswordAsync(Repository repository, byte[] currentPassword, byte[] newPassword, KdfParameters kdf, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var id = await AddAsync(repository, currentPassword, newPassword, kdf, ct).ConfigureAwait(false);
        await repository.Storage.DeleteAsync(new ObjectName(ObjectKind.Key, repository.KeyName), ct).ConfigureAwait(false);
        return id;
    }

    /// <summary>Removes a key; refuses to remove the one in use or the last one.</summary>
    public static async Task RemoveAsync(Repository repository, string idPrefix, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var keys = await ListAsync(repository, ct).ConfigureAwait(false);
        var matches = keys.Where(k => k.Id.StartsWith(idPrefix, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count != 1)
            throw new CairnException(ErrorKind.InvalidInput, matches.Count == 0 ? $"no key {idPrefix}" : $"key prefix {idPrefix} is ambiguous");
        if (matches[0].Current)
            throw new CairnException(ErrorKind.InvalidInput, "refusing to remove the key in use", "open the repository with another key's password to remove this one");
        await repository.Storage.DeleteAsync(new ObjectName(ObjectKind.Key, matches[0].Id), ct).ConfigureAwait(false);
    }

    /// <summary>Removes stale locks, or every lock with <paramref name="all"/>; returns how many.</summary>
    public static async Task<int> UnlockAsync(Repository repository, bool all, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var removed = 0;
        foreach (var (name, info) in await RepositoryLock.ListAsync(repository.Storage, repository.Keys, ct).ConfigureAwait(false))
        {
            if (all || info is null || info.IsStale(DateTimeOffset.UtcNow))
            {
                await repository.Storage.DeleteAsync(name, ct).ConfigureAwait(false);
                removed++;
            }
        }
        return removed;
    }
}
