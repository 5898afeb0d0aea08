using System.Net;

namespace Cairn.Server;

/// <summary>How <c>cairn serve</c> runs.</summary>
public sealed record ServerOptions
{
    /// <summary>The directory holding every repository, as <c>ROOT/OWNER/REPOSITORY</c>.</summary>
    public required string Root { get; init; }

    /// <summary>The address and port to listen on (any port, e.g. 443 to pass firewalls).</summary>
    public required IPEndPoint Listen { get; init; }

    /// <summary>The certificate to serve HTTPS with; null for plain HTTP.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; init; }

    /// <summary>The accounts; null serves without authentication (every repository open to every client).</summary>
    public UserDatabase? Users { get; init; }

    /// <summary>Every user is append-only: objects and snapshots can be added, never deleted or overwritten.</summary>
    public bool AppendOnly { get; init; }

    /// <summary>Where requests are logged (one line each); null for none.</summary>
    public TextWriter? Log { get; init; }
}
