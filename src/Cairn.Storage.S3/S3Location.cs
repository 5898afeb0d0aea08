namespace Cairn.Storage.S3;

/// <summary>
/// Where an S3 repository is: <c>s3:http[s]://HOST[:PORT]/BUCKET[/PREFIX]</c> for any S3-compatible endpoint
/// (path-style requests), or <c>s3:HOST/BUCKET[/PREFIX]</c>, which means https.
/// </summary>
/// <param name="Endpoint">The service URL, e.g. <c>https://s3.amazonaws.com</c> or <c>http://127.0.0.1:9000</c>.</param>
/// <param name="Bucket">The bucket.</param>
/// <param name="Prefix">The key prefix under which the repository lies, without slashes at either end; may be empty.</param>
public sealed record S3Location(Uri Endpoint, string Bucket, string Prefix)
{
    /// <summary>Parses a repository URL; throws <see cref="FormatException"/> with a hint when it is malformed.</summary>
    public static S3Location Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.StartsWith("s3:", StringComparison.Ordinal))
            throw Malformed(url);
        var rest = url["s3:".Length..];
        if (!rest.StartsWith("http://", StringComparison.Ordinal) && !rest.StartsWith("https://", StringComparison.Ordinal))
            rest = "https://" + rest.TrimStart('/');
        if (!Uri.TryCreate(rest, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw Malformed(url);
        var parts = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
            throw Malformed(url);
        if (uri.UserInfo.Length > 0)
            throw new FormatException("an S3 location holds no credentials: give them in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or a profile");
        return new S3Location(new Uri(uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped)), parts[0], string.Join('/', parts[1..]));
    }

    /// <inheritdoc/>
    public override string ToString() => $"s3:{Endpoint.GetLeftPart(UriPartial.Authority)}/{Bucket}{(Prefix.Length > 0 ? "/" + Prefix : "")}";

    private static FormatException Malformed(string url) =>
        new($"'{(url.Contains('@', StringComparison.Ordinal) ? "s3:…" : url)}' is not an S3 location: use s3:https://HOST[:PORT]/BUCKET[/PREFIX]");
}
