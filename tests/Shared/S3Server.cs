using System.Diagnostics;

namespace Cairn.Tests.Shared;

/// <summary>
/// A real S3-compatible server (s3rver) on loopback, started by scripts/services/start-s3rver.sh (which installs it
/// when missing); one per port, shared by the tests of a process.
/// </summary>
public sealed class S3Server
{
    /// <summary>The access key the server accepts.</summary>
    public const string AccessKey = "S3RVER";

    /// <summary>The secret the server accepts.</summary>
    public const string SecretKey = "S3RVER";

    private static readonly Dictionary<int, S3Server> Servers = [];
    private readonly ServiceScript _script;

    private S3Server(int port)
    {
        Port = port;
        Directory = $"/tmp/cairn-s3rver-{port}";
        _script = new ServiceScript("start-s3rver.sh", port, Directory);
    }

    /// <summary>The port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The server's state: its data directory (one sub-directory per bucket), pid file and log.</summary>
    public string Directory { get; }

    /// <summary>The endpoint URL.</summary>
    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    /// <summary>The server on <paramref name="port"/>, started if it does not run.</summary>
    public static async Task<S3Server> StartAsync(int port = 24568)
    {
        S3Server server;
        lock (Servers)
        {
            if (!Servers.TryGetValue(port, out server!))
                Servers[port] = server = new S3Server(port);
        }
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>An s3: repository URL for a bucket and prefix on this server.</summary>
    public string Url(string bucket, string prefix = "repo") => $"s3:http://127.0.0.1:{Port}/{bucket}/{prefix}";

    /// <summary>A bucket name no other test uses.</summary>
    public static string NewBucket() => "cairn-" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>Starts the server (again); nothing happens when it runs. Test classes running at once take turns.</summary>
    public Task StartAgainAsync() => _script.RunAsync();

    /// <summary>Kills the server, as a crash would.</summary>
    public async Task StopAsync()
    {
        var pidFile = Path.Combine(Directory, "s3rver.pid");
        if (!File.Exists(pidFile))
            return;
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            File.Delete(pidFile); // a reused process number must not pass for the server
        }
        catch (ArgumentException)
        {
            // Not running.
        }
    }

    /// <summary>Where the server keeps an object's content on disk (s3rver's layout), to damage it as a failing disk would.</summary>
    public string ObjectFile(string bucket, string key) => Path.Combine(Directory, "data", bucket, key + "._S3rver_object");
}
