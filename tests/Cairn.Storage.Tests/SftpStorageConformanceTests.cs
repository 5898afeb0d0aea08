using Cairn.Storage.Sftp;
using Cairn.Tests.Shared;

namespace Cairn.Storage.Tests;

/// <summary>The conformance suite on an <see cref="SftpStorage"/> in a fresh directory of a real OpenSSH server on loopback.</summary>
public sealed class SftpStorageConformanceTests : StorageConformanceTests, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cairn-sftp-tests-" + Guid.NewGuid().ToString("N"));

    protected override IStorage CreateStorage()
    {
        var server = SshServer.StartAsync().GetAwaiter().GetResult();
        return new SftpStorage(new SftpLocation("root", "127.0.0.1", server.Port, _root), new SftpStorageOptions
        {
            KeyFiles = [server.KeyFile],
            KnownHostsFiles = [server.KnownHostsFile],
            AgentSocket = null,
        });
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }
}
