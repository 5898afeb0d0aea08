namespace Cairn.Storage.Rest;

/// <summary>
/// A repository on a Cairn repository server: <c>rest:http[s]://USER@HOST:PORT/REPOSITORY</c> (the user's own
/// repository) or <c>rest:http[s]://USER@HOST:PORT/OWNER/REPOSITORY</c> (another user's, when granted).
/// </summary>
/// <param name="Server">The server's URL (scheme, host, port).</param>
/// <param name="User">The login name, or null for a server without authentication.</param>
/// <param name="Password">A password given in the URL (better: a file or <c>CAIRN_SERVER_PASSWORD</c>).</param>
/// <param name="Owner">The user whose repository it is.</param>
/// <param name="Repository">The repository's name.</param>
public sealed record RestLocation(Uri Server, string? User, string? Password, string Owner, string Repository)
{
    /// <summary>Parses a repository URL; throws <see cref="FormatException"/> with a hint when it is malformed.</summary>
    public static RestLocation Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.StartsWith("rest:", StringComparison.Ordinal) || !Uri.TryCreate(url["rest:".Length..], UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            throw Malformed(url);
        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        var parts = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var server = new Uri(uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped)); // never the password
        return parts.Length switch
        {
            1 when user is not null => new RestLocation(server, user, password, user, parts[0]),
            2 => new RestLocation(server, user, password, parts[0], parts[1]),
            _ => throw Malformed(url),
        };
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"rest:{Server.Scheme}://{(User is null ? "" : User + "@")}{Server.Authority}/{Owner}/{Repository}";

    private static FormatException Malformed(string url) =>
        new($"'{WithoutPassword(url)}' is not a repository server location: use rest:https://USER@HOST:PORT/REPOSITORY");

    /// <summary>The URL with any password in it replaced, for messages.</summary>
    private static string WithoutPassword(string url)
    {
        var at = url.IndexOf('@', StringComparison.Ordinal);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || scheme < 0 || at < scheme)
            return url;
        var colon = url.IndexOf(':', scheme + 3);
        return colon > 0 && colon < at ? url[..(colon + 1)] + "***" + url[at..] : url;
    }
}
