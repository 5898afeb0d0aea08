using Cairn.Core;
using Cairn.Storage;
using Cairn.Storage.Rest;
using Cairn.Storage.S3;
using Cairn.Storage.Sftp;

namespace Cairn.Commands;

/// <summary>Turns a repository URL or path (<c>-r</c>, <c>CAIRN_REPOSITORY</c>) into a store, with its decorators.</summary>
public static class RepositoryLocation
{
    /// <summary>The <c>-o</c> keys Cairn knows.</summary>
    public static IReadOnlyList<string> ExtendedKeys { get; } = ["sftp.key", "sftp.known-hosts", "sftp.agent", "s3.profile", "s3.region", "rest.password-file", "rest.fingerprint", "retry.give-up-after"];

    /// <summary>The environment variable holding the password of a repository server's user.</summary>
    public const string ServerPasswordVariable = "CAIRN_SERVER_PASSWORD";

    /// <summary>
    /// Opens the store for <paramref name="location"/>: a path, <c>local:PATH</c>, <c>sftp:USER@HOST:/PATH</c>,
    /// <c>sftp://USER@HOST:PORT/PATH</c>, <c>s3:http[s]://HOST[:PORT]/BUCKET[/PREFIX]</c> or
    /// <c>rest:http[s]://USER@HOST:PORT/REPOSITORY</c>. Remote stores retry transient failures (each retry is told to
    /// <paramref name="notice"/>); limits and read-back verification apply to every store.
    /// </summary>
    public static IStorage Open(string? location, StorageSettings? settings = null, Action<string>? notice = null)
    {
        if (string.IsNullOrWhiteSpace(location))
            throw new CairnException(ErrorKind.Usage, "no repository given", "use -r/--repo or set CAIRN_REPOSITORY");
        settings ??= StorageSettings.Default;
        foreach (var (key, _) in settings.Extended)
        {
            if (!ExtendedKeys.Contains(key))
                throw new CairnException(ErrorKind.Usage, $"unknown option -o {key}", $"known ones: {string.Join(", ", ExtendedKeys)}");
        }
        IStorage storage;
        var remote = false;
        if (location.StartsWith("sftp:", StringComparison.Ordinal))
        {
            storage = new SftpStorage(Parse(SftpLocation.Parse, location), SftpOptions(settings));
            remote = true;
        }
        else if (location.StartsWith("s3:", StringComparison.Ordinal))
        {
            storage = new S3Storage(Parse(S3Location.Parse, location), S3Options(settings));
            remote = true;
        }
        else if (location.StartsWith("rest:", StringComparison.Ordinal))
        {
            storage = new RestStorage(Parse(RestLocation.Parse, location), RestOptions(settings));
            remote = true;
        }
        else
        {
            storage = new LocalStorage(location.StartsWith("local:", StringComparison.Ordinal) ? location["local:".Length..] : location);
        }
        if (settings.VerifyAfterWrite)
            storage = new VerifyingStorage(storage);
        if (settings.LimitUpload is not null || settings.LimitDownload is not null)
            storage = new LimitedStorage(storage, Limit(settings.LimitUpload), Limit(settings.LimitDownload));
        if (remote)
        {
            var giveUp = settings.ValuesOf("retry.give-up-after").LastOrDefault() is { } text ? ParseDuration(text) : TimeSpan.FromMinutes(5);
            storage = new RetryingStorage(storage)
            {
                GiveUpAfter = giveUp,
                Retrying = notice is null ? null : (e, wait) => notice($"{e.Message}; trying again in {wait.TotalSeconds:0.0} s"),
            };
        }
        return storage;
    }

    private static SftpStorageOptions SftpOptions(StorageSettings settings)
    {
        var keys = settings.ValuesOf("sftp.key").Select(ExpandHome).ToList();
        var options = new SftpStorageOptions
        {
            KeyFiles = keys.Count > 0 ? keys : null,
            KnownHostsFiles = settings.ValuesOf("sftp.known-hosts").Select(ExpandHome).ToList(),
        };
        if (settings.ValuesOf("sftp.agent").LastOrDefault() is "false" or "no" or "0")
            options = options with { AgentSocket = null };
        return settings.Connections is { } n ? options with { Connections = n } : options;
    }

    private static S3StorageOptions S3Options(StorageSettings settings)
    {
        var options = new S3StorageOptions
        {
            Profile = settings.ValuesOf("s3.profile").LastOrDefault(),
            Region = settings.ValuesOf("s3.region").LastOrDefault(),
        };
        return settings.Connections is { } n ? options with { Connections = n } : options;
    }

    private static RestStorageOptions RestOptions(StorageSettings settings)
    {
        string? password = Environment.GetEnvironmentVariable(ServerPasswordVariable);
        if (settings.ValuesOf("rest.password-file").LastOrDefault() is { } file)
        {
            try
            {
                password = File.ReadAllLines(ExpandHome(file)).FirstOrDefault() ?? "";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CairnException(ErrorKind.InvalidInput, $"cannot read -o rest.password-file {file}: {e.Message}");
            }
        }
        var options = new RestStorageOptions { Password = password, Fingerprint = settings.ValuesOf("rest.fingerprint").LastOrDefault() };
        return settings.Connections is { } n ? options with { Connections = n } : options;
    }

    private static BandwidthLimit? Limit(long? kibPerSecond) => kibPerSecond is { } k ? new BandwidthLimit(k * 1024) : null;

    private static T Parse<T>(Func<string, T> parse, string location)
    {
        try
        {
            return parse(location);
        }
        catch (FormatException e)
        {
            throw new CairnException(ErrorKind.Usage, e.Message);
        }
    }

    private static TimeSpan ParseDuration(string text)
    {
        try
        {
            return Units.ParseDuration(text);
        }
        catch (FormatException e)
        {
            throw new CairnException(ErrorKind.Usage, $"-o retry.give-up-after: {e.Message}");
        }
    }

    private static string ExpandHome(string path) => path.StartsWith("~/", StringComparison.Ordinal)
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
        : path;
}
