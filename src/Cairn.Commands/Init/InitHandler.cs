using Cairn.Core;
using Cairn.Core.Crypto;
using Cairn.Core.Repository;

namespace Cairn.Commands.Init;

/// <summary>Creates a repository.</summary>
public static class InitHandler
{
    /// <summary>Runs <c>cairn init</c>.</summary>
    public static async Task<InitResult> RunAsync(GlobalOptions global, InitOptions options, IPasswordPrompt prompt, CancellationToken ct = default, Action<string>? notice = null)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(prompt);
        Core.Compression.CompressionSetting.Parse(options.Compression);
        await using var storage = RepositoryLocation.Open(global.ResolvedRepository, global.Storage, notice);
        var password = PasswordResolver.Resolve(global.Password, prompt, "enter password for the new repository: ");
        if (global.Password.File is null && global.Password.Command is null
            && Environment.GetEnvironmentVariable(PasswordResolver.EnvironmentVariable) is null
            && !System.Linq.Enumerable.SequenceEqual(password, System.Text.Encoding.UTF8.GetBytes(prompt.Ask("enter the password again: "))))
            throw new CairnException(ErrorKind.InvalidInput, "the passwords do not match");
        if (password.Length == 0)
            throw new CairnException(ErrorKind.InvalidInput, "an empty password is not allowed");
        if (options.CopyChunkerParamsFrom is { } source && !options.Encrypt && source.Keys.Suite != CipherSuite.AuthenticatedPlaintext)
            throw new CairnException(ErrorKind.Usage, "--copy-chunker-params from an encrypted repository into one made with --no-encryption would store the source's ID keys readable",
                "drop --no-encryption, or do not share the chunker");
        var sharedIdKeys = options.CopyChunkerParamsFrom?.Keys.ExportIdKeys();
        try
        {
            var repository = await Repository.InitAsync(storage, password, new RepositoryInitOptions
            {
                Chunker = options.CopyChunkerParamsFrom?.Config.Chunker ?? options.Chunker,
                SharedIdKeys = sharedIdKeys,
                Compression = options.Compression,
                Cipher = options.Encrypt ? CipherSuite.Aes256Gcm : CipherSuite.AuthenticatedPlaintext,
                Kdf = options.Kdf,
            }, ct).ConfigureAwait(false);
            repository.Keys.Dispose();
            return new InitResult(repository.Config.Id, storage.Location);
        }
        finally
        {
            if (sharedIdKeys is not null)
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(sharedIdKeys);
        }
    }
}
