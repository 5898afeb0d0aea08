using Cairn.Core;
using Cairn.Storage;

namespace Cairn.Commands;

/// <summary>Turns a repository URL or path (<c>-r</c>, <c>CAIRN_REPOSITORY</c>) into a store.</summary>
public static class RepositoryLocation
{
    /// <summary>Opens the store for <paramref name="location"/>: a path, or <c>local:PATH</c>.</summary>
    public static IStorage Open(string? location)
    {
        if (string.IsNullOrWhiteSpace(location))
            throw new CairnException(ErrorKind.Usage, "no repository given", "use -r/--repo or set CAIRN_REPOSITORY");
        if (location.StartsWith("local:", StringComparison.Ordinal))
            return new LocalStorage(location["local:".Length..]);
        foreach (var scheme in new[] { "sftp:", "s3:", "rest:" })
        {
            if (location.StartsWith(scheme, StringComparison.Ordinal))
                throw new CairnException(ErrorKind.Usage, $"{scheme[..^1]} repositories are not supported by this version of Cairn yet", "use a local path");
        }
        return new LocalStorage(location);
    }
}
