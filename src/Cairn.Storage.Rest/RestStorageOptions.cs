namespace Cairn.Storage.Rest;

/// <summary>How the client logs in to a repository server and checks who it is.</summary>
public sealed record RestStorageOptions
{
    /// <summary>The user's password (from <c>-o rest.password-file</c> or <c>CAIRN_SERVER_PASSWORD</c>).</summary>
    public string? Password { get; init; }

    /// <summary>
    /// The SHA-256 fingerprint of the server's certificate (hex, colons allowed): when given, exactly that
    /// certificate is trusted (a self-signed one, say) and no other; when null, the system's CAs decide.
    /// </summary>
    public string? Fingerprint { get; init; }

    /// <summary>Requests at once.</summary>
    public int Connections { get; init; } = 4;

    /// <summary>How long one request may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);
}
