using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cairn.Cli.Tests;

/// <summary>A real <c>cairn serve</c> process on a loopback port, with its certificate's fingerprint.</summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly TestRepository _t;
    private readonly string[] _arguments;
    private Process? _process;

    private ServeProcess(TestRepository t, string root, int port, string[] arguments)
    {
        _t = t;
        Root = root;
        Port = port;
        _arguments = arguments;
    }

    public string Root { get; }
    public int Port { get; }
    public string Fingerprint { get; private set; } = "";

    /// <summary>Starts <c>cairn serve --root ROOT --listen 127.0.0.1:PORT --tls-self-signed</c> plus <paramref name="arguments"/>.</summary>
    public static async Task<ServeProcess> StartAsync(TestRepository t, string root, params string[] arguments)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var serve = new ServeProcess(t, root, port, arguments);
        await serve.StartAgainAsync();
        return serve;
    }

    /// <summary>The URL of a repository of <paramref name="user"/> on this server.</summary>
    public string Url(string user, string repository) => $"rest:https://{user}@127.0.0.1:{Port}/{repository}";

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) and waits until it serves.</summary>
    public async Task StartAgainAsync()
    {
        _process = _t.Start(["serve", "--root", Root, "--listen", $"127.0.0.1:{Port}", "--tls-self-signed", .. _arguments]);
        var line = await _process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("cairn serve ended: " + await _process.StandardError.ReadToEndAsync());
        Assert.StartsWith("serving ", line, StringComparison.Ordinal);
        Fingerprint = line.Split("fingerprint ")[1].Split(',')[0];
    }

    /// <summary>Kills the server, as a crash would.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
            return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
