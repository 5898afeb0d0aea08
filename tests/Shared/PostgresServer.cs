using System.Diagnostics;
using System.Globalization;

namespace Cairn.Tests.Shared;

/// <summary>
/// A real PostgreSQL server on loopback, started by scripts/services/start-postgres.sh (which installs Debian's
/// package when missing); one per port, shared by the tests of a process. Tests work in databases of their own
/// (<see cref="CreateDatabaseAsync"/>), so they never see each other's tables.
/// </summary>
public sealed class PostgresServer
{
    /// <summary>The superuser the tests connect as.</summary>
    public const string User = "postgres";

    private static readonly Dictionary<int, PostgresServer> Servers = [];
    private readonly ServiceScript _script;

    private PostgresServer(int port)
    {
        Port = port;
        Directory = $"/tmp/cairn-postgres-{port}";
        _script = new ServiceScript("start-postgres.sh", port, Directory);
    }

    /// <summary>The port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The server's state: the cluster (data/), its log, the password file.</summary>
    public string Directory { get; }

    /// <summary>Where the server's unix socket is (connections through it need no password).</summary>
    public string SocketDirectory => Directory;

    /// <summary>A libpq password file (PGPASSFILE) that holds the superuser's password for TCP connections.</summary>
    public string PassFile => Path.Combine(Directory, "pgpass");

    /// <summary>The server on <paramref name="port"/>, started if it does not run.</summary>
    public static async Task<PostgresServer> StartAsync(int port = 25432)
    {
        PostgresServer server;
        lock (Servers)
        {
            if (!Servers.TryGetValue(port, out server!))
                Servers[port] = server = new PostgresServer(port);
        }
        await server._script.RunAsync();
        return server;
    }

    /// <summary>
    /// A shell command line that runs a client program (pg_dump, psql, …) against this server over TCP, the
    /// password taken from <see cref="PassFile"/> so that it appears on no command line:
    /// <c>PGPASSFILE=… TOOL -h 127.0.0.1 -p PORT -U postgres -w ARGUMENTS</c>.
    /// </summary>
    public string ShellCommand(string tool, string arguments) =>
        $"PGPASSFILE={PassFile} {tool} -h 127.0.0.1 -p {Port.ToString(CultureInfo.InvariantCulture)} -U {User} -w {arguments}";

    /// <summary>Runs a client program against this server over TCP; returns its output, throws with its errors when it fails.</summary>
    public async Task<string> RunClientAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User, "-w" }.Concat(arguments))
            start.ArgumentList.Add(a);
        // Only what this method sets: a PGDATABASE, PGOPTIONS or PGSERVICE of the machine's must not change a test.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        start.Environment["PGPASSFILE"] = PassFile;
        start.Environment["PGCONNECT_TIMEOUT"] = "10";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited with code {process.ExitCode}: {await error}");
        return await output;
    }

    /// <summary>
    /// Runs SQL (one or more statements, one transaction) in a database with psql, stopping at the first error;
    /// returns the rows that the statements return, unaligned, fields separated by '|', one row a line, no
    /// newline after the last (no command tags: "1000" for a SELECT of one value).
    /// </summary>
    public async Task<string> PsqlAsync(string database, string sql)
    {
        var rows = await RunClientAsync("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database, "-Atc", sql);
        return rows.EndsWith('\n') ? rows[..^1] : rows;
    }

    /// <summary>Creates an empty database with a name no other test uses; disposing it drops it.</summary>
    public async Task<PostgresDatabase> CreateDatabaseAsync()
    {
        var name = NewDatabaseName();
        await PsqlAsync("postgres", $"CREATE DATABASE {name}");
        return new PostgresDatabase(this, name);
    }

    /// <summary>A database name no other test uses (a valid identifier that needs no quoting).</summary>
    public static string NewDatabaseName() => "cairn_test_" + Guid.NewGuid().ToString("N")[..16];
}
