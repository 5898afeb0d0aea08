namespace Cairn.Storage.S3;

/// <summary>Credentials, region and connections of an S3 store.</summary>
public sealed record S3StorageOptions
{
    /// <summary>
    /// An access key and secret; null means the usual places: <c>AWS_ACCESS_KEY_ID</c> and
    /// <c>AWS_SECRET_ACCESS_KEY</c> (with <c>AWS_SESSION_TOKEN</c>), else the profile of <see cref="Profile"/> or
    /// <c>AWS_PROFILE</c> in <c>~/.aws/credentials</c>.
    /// </summary>
    public (string AccessKey, string SecretKey)? Credentials { get; init; }

    /// <summary>A named profile of <c>~/.aws/credentials</c> and <c>~/.aws/config</c>.</summary>
    public string? Profile { get; init; }

    /// <summary>The region requests are signed for (default: <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, else us-east-1).</summary>
    public string? Region { get; init; }

    /// <summary>Requests at once.</summary>
    public int Connections { get; init; } = 8;

    /// <summary>How long one request may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);
}
