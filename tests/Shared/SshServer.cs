using System.Diagnostics;

namespace Cairn.Tests.Shared;

/// <summary>
/// A real OpenSSH server on loopback, started by scripts/services/start-sshd.sh (which installs it when missing);
/// one per port, shared by the tests of a process. <see cref="StopAsync"/> kills it with every session it
/// serves, as a crash or a reboot would.
/// </summary>
public sealed class SshServer
{
    private static readonly Dictionary<int, SshServer> Servers = [];
    private readonly ServiceScript _script;

    private SshServer(int port)
    {
        Port = port;
        Directory = $"/tmp/cairn-sshd-{port}";
        _script = new ServiceScript("start-sshd.sh", port, Directory);
    }

    /// <summary>The port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The server's state: keys, configuration, pid file, log.</summary>
    public string Directory { get; }

    /// <summary>The private key root logs in with.</summary>
    public string KeyFile => Path.Combine(Directory, "id_ed25519");

    /// <summary>A known_hosts file holding the server's key.</summary>
    public string KnownHostsFile => Path.Combine(Directory, "known_hosts");

    /// <summary>The server on <paramref name="port"/>, started if it does not run.</summary>
    public static async Task<SshServer> StartAsync(int port = 22022)
    {
        SshServer server;
        lock (Servers)
        {
            if (!Servers.TryGetValue(port, out server!))
                Servers[port] = server = new SshServer(port);
        }
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>An sftp: repository URL for a path on this server.</summary>
    public string Url(string path) => $"sftp://root@127.0.0.1:{Port}{path}";

    /// <summary>The -o options that make Cairn use this server's key and known_hosts file (and no ssh-agent).</summary>
    public string[] Options() => ["-o", $"sftp.key={KeyFile}", "-o", $"sftp.known-hosts={KnownHostsFile}", "-o", "sftp.agent=false"];

    /// <summary>Starts the server (again); nothing happens when it runs. Test classes running at once take turns.</summary>
    public Task StartAgainAsync() => _script.RunAsync();

    /// <summary>Kills the server and every session process it started.</summary>
    public async Task StopAsync()
    {
        var pidFile = Path.Combine(Directory, "sshd.pid");
        if (!File.Exists(pidFile))
            return;
        var master = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var doomed = new List<int>();
        Collect(master, doomed);
        foreach (var pid in doomed)
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Already gone.
            }
        }
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (doomed.Any(Alive) && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        // A pid file left behind could name another process once the number is reused, and the start script
        // would take the server for running.
        File.Delete(pidFile);
    }

    /// <summary>True while a process runs; a zombie (dead, not yet reaped by a parent that may itself be gone) does not.</summary>
    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>A process and all its descendants, the descendants first.</summary>
    private static void Collect(int pid, List<int> into)
    {
        foreach (var status in System.IO.Directory.EnumerateFiles("/proc", "status", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 1, IgnoreInaccessible = true }))
        {
            string text;
            try
            {
                text = File.ReadAllText(status);
            }
            catch (IOException)
            {
                continue;
            }
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal));
            if (line is not null && int.Parse(line[5..].Trim(), System.Globalization.CultureInfo.InvariantCulture) == pid)
                Collect(int.Parse(Path.GetFileName(Path.GetDirectoryName(status)!), System.Globalization.CultureInfo.InvariantCulture), into);
        }
        into.Add(pid);
    }
}
