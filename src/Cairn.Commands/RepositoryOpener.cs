using Cairn.Core;
using Cairn.Core.Repository;

namespace Cairn.Commands;

/// <summary>Opens the repository a command names, with its password.</summary>
public static class RepositoryOpener
{
    /// <summary>Opens the repository; handlers load the index when they need it. Retries of a remote store are told to <paramref name="notice"/>.</summary>
    public static Task<Repository> OpenAsync(GlobalOptions options, IPasswordPrompt prompt, CancellationToken ct = default, Action<string>? notice = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return OpenAsync(options.ResolvedRepository, options.Storage, () => PasswordResolver.Resolve(options.Password, prompt), notice, ct);
    }

    /// <summary>Opens a repository at <paramref name="location"/> (e.g. the source of <c>copy</c>) with a password from <paramref name="password"/>.</summary>
    public static async Task<Repository> OpenAsync(string? location, StorageSettings? settings, Func<byte[]> password, Action<string>? notice, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        var storage = RepositoryLocation.Open(location, settings, notice);
        try
        {
            if (await storage.StatAsync(Storage.ObjectName.Config, ct).ConfigureAwait(false) is null)
                throw new CairnException(ErrorKind.RepositoryNotFound, $"{storage.Location} is not a Cairn repository (no config found)",
                    "check the path, or create one with 'cairn init'");
            return await Repository.OpenAsync(storage, password(), ct).ConfigureAwait(false);
        }
        catch
        {
            await storage.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
