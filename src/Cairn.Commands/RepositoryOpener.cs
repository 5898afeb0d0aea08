using Cairn.Core;
using Cairn.Core.Repository;

namespace Cairn.Commands;

/// <summary>Opens the repository a command names, with its password.</summary>
public static class RepositoryOpener
{
    /// <summary>Opens the repository; loads the index when <paramref name="loadIndex"/> is set.</summary>
    public static async Task<Repository> OpenAsync(GlobalOptions options, IPasswordPrompt prompt, bool loadIndex, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var storage = RepositoryLocation.Open(options.ResolvedRepository);
        Repository? repository = null;
        try
        {
            if (await storage.StatAsync(Storage.ObjectName.Config, ct).ConfigureAwait(false) is null)
                throw new CairnException(ErrorKind.RepositoryNotFound, $"{storage.Location} is not a Cairn repository (no config found)",
                    "check the path, or create one with 'cairn init'");
            var password = PasswordResolver.Resolve(options.Password, prompt);
            repository = await Repository.OpenAsync(storage, password, ct).ConfigureAwait(false);
            if (loadIndex)
                await repository.LoadIndexAsync(ct).ConfigureAwait(false);
            return repository;
        }
        catch
        {
            if (repository is not null)
                await repository.DisposeAsync().ConfigureAwait(false);
            else
                await storage.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
