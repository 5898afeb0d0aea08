using System.Net;
using Cairn.Server;
using Cairn.Storage.Rest;

namespace Cairn.Storage.Tests;

/// <summary>The conformance suite on a <see cref="RestStorage"/> talking to a <see cref="RepositoryServer"/> on loopback.</summary>
public sealed class RestStorageConformanceTests : StorageConformanceTests, IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cairn-rest-tests-" + Guid.NewGuid().ToString("N"));
    private RepositoryServer? _server;

    protected override IStorage CreateStorage()
    {
        Directory.CreateDirectory(_root);
        var users = UserDatabase.Load(Path.Combine(_root, "users.json"));
        users.Put(new ServerUser("alice", PasswordHash.Create("secret"), AppendOnly: false, Grants: []));
        _server = RepositoryServer.StartAsync(new ServerOptions { Root = _root, Listen = new IPEndPoint(IPAddress.Loopback, 0), Users = users }).GetAwaiter().GetResult();
        return new RestStorage(RestLocation.Parse($"rest:{_server.Addresses[0]}/alice/repo".Replace("rest:http://", "rest:http://alice@", StringComparison.Ordinal)),
            new RestStorageOptions { Password = "secret" });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_server is not null)
            await _server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
