using Cairn.Core;
using Cairn.Core.Repository;

namespace Cairn.Commands;

/// <summary>Opens the repository a command names, with its password.</summary>
public static class RepositoryOpener
{
    /// <summary>Opens the repository; handlers load the index when they need it. Retries of a remote store are told to <paramref name="notice"/>.</summary>
    public static async Task<Repository> OpenAsync(GlobalOptions options, IPasswordPrompt prompt, CancellationToken ct = default, Action<string>? notice = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var storage = RepositoryLocation.Open(options.ResolvedRepository, options.Storage, notice);
        try
        {
            if (await storage.StatAsync(Storage.ObjectName.Config, ct).ConfigureAwait(false) is null)
                throw new CairnException(ErrorKind.RepositoryNotFound, $"{storage.Location} is not a Cairn repository (no config found)",
                    "check the path, or create one with 'cairn init'");
            var password = PasswordResolver.Resolve(options.Password, prompt);
            return await Repository.OpenAsync(storage, password, ct).ConfigureAwait(false);
        }
        catch
        {
            await storage.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
