namespace Cairn.Storage.Sftp;

/// <summary>
/// Where an SFTP repository is: <c>sftp:USER@HOST:/PATH</c> (scp-like; a path without a leading '/' is relative
/// to the user's home directory) or <c>sftp://USER@HOST:PORT/PATH</c>. Without a user, the local user's name is used.
/// </summary>
/// <param name="User">The login name.</param>
/// <param name="Host">The server's name or address.</param>
/// <param name="Port">The SSH port.</param>
/// <param name="Path">The repository's directory on the server.</param>
public sealed record SftpLocation(string User, string Host, int Port, string Path)
{
    /// <summary>The default SSH port.</summary>
    public const int DefaultPort = 22;

    /// <summary>Parses a repository URL; throws <see cref="FormatException"/> with a hint when it is malformed.</summary>
    public static SftpLocation Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.StartsWith("sftp://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || uri.AbsolutePath.Length <= 1)
                throw Malformed(url);
            var user = uri.UserInfo.Length > 0 ? Uri.UnescapeDataString(uri.UserInfo) : Environment.UserName;
            if (user.Contains(':', StringComparison.Ordinal))
                throw new FormatException("the SFTP location holds a password; Cairn logs in over SFTP with keys only (a key file or ssh-agent)");
            var path = Uri.UnescapeDataString(uri.AbsolutePath);
            // sftp://host/~/dir is home-relative, as ToString writes it.
            return new SftpLocation(user, uri.Host, uri.IsDefaultPort ? DefaultPort : uri.Port, path.StartsWith("/~/", StringComparison.Ordinal) ? path[3..] : path);
        }
        if (!url.StartsWith("sftp:", StringComparison.Ordinal))
            throw Malformed(url);
        var rest = url["sftp:".Length..];
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        var colon = rest.IndexOf(':', at + 1);
        if (colon <= at + 1 || colon == rest.Length - 1)
            throw Malformed(url);
        var scpPath = rest[(colon + 1)..];
        return new SftpLocation(at > 0 ? rest[..at] : Environment.UserName, rest[(at + 1)..colon], DefaultPort,
            scpPath.StartsWith("~/", StringComparison.Ordinal) ? scpPath[2..] : scpPath);
    }

    /// <inheritdoc/>
    public override string ToString() => $"sftp://{User}@{Host}{(Port == DefaultPort ? "" : ":" + Port)}{(Path.StartsWith('/') ? "" : "/~/")}{Path}";

    private static FormatException Malformed(string url) =>
        new($"'{url}' is not an SFTP location: use sftp:USER@HOST:/PATH or sftp://USER@HOST:PORT/PATH");
}
