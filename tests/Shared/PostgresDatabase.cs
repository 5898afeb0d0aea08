namespace Cairn.Tests.Shared;

/// <summary>A database of a test's own on a <see cref="PostgresServer"/>, dropped (with any session still in it) when disposed.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    internal PostgresDatabase(PostgresServer server, string name)
    {
        Server = server;
        Name = name;
    }

    /// <summary>The server that holds the database.</summary>
    public PostgresServer Server { get; }

    /// <summary>The database's name, a plain identifier.</summary>
    public string Name { get; }

    /// <summary>Runs SQL in this database (see <see cref="PostgresServer.PsqlAsync"/>).</summary>
    public Task<string> PsqlAsync(string sql) => Server.PsqlAsync(Name, sql);

    /// <summary>Drops the database.</summary>
    public async ValueTask DisposeAsync() => await Server.PsqlAsync("postgres", $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
}
