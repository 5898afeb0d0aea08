using System.Net;
using System.Security.Cryptography.X509Certificates;
using Cairn.Server;
using Cairn.Storage.Rest;
using Cairn.Tests.Shared;

namespace Cairn.Storage.Tests;

/// <summary>The repository server's rules: who may use which repository, append-only users, TLS pinning, health.</summary>
public sealed class RepositoryServerTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cairn-server-tests-" + Guid.NewGuid().ToString("N"));
    private RepositoryServer _server = null!;
    private X509Certificate2 _certificate = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        var users = UserDatabase.Load(Path.Combine(_root, "users.json"));
        users.Put(new ServerUser("alice", PasswordHash.Create("alice-pw"), AppendOnly: false, Grants: []));
        users.Put(new ServerUser("bob", PasswordHash.Create("bob-pw"), AppendOnly: false, Grants: []));
        users.Put(new ServerUser("carol", PasswordHash.Create("carol-pw"), AppendOnly: true, Grants: ["alice/*"]));
        _certificate = ServerCertificate.SelfSigned(Path.Combine(_root, "tls.pfx"), ["127.0.0.1"]);
        _server = await RepositoryServer.StartAsync(new ServerOptions
        {
            Root = _root,
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Users = users,
            Certificate = _certificate,
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private RestStorage Client(string user, string password, string path, string? fingerprint = null) =>
        new(RestLocation.Parse($"rest:https://{user}@{new Uri(_server.Addresses[0]).Authority}/{path}"),
            new RestStorageOptions { Password = password, Fingerprint = fingerprint ?? ServerCertificate.Fingerprint(_certificate) });

    [Fact]
    public async Task Users_see_their_own_repositories_and_those_granted_to_them_only()
    {
        await using var alice = Client("alice", "alice-pw", "laptop");
        await alice.CreateAsync();
        await alice.WriteAsync(ObjectName.Config, "a"u8.ToArray());
        Assert.True(File.Exists(Path.Combine(_root, "alice", "laptop", "config")));

        await using var bob = Client("bob", "bob-pw", "alice/laptop");
        var refused = await Assert.ThrowsAsync<StorageException>(() => bob.StatAsync(ObjectName.Config));
        Assert.Equal(StorageErrorKind.Permanent, refused.Kind);
        Assert.Contains("bob may not use alice/laptop", refused.Message, StringComparison.Ordinal);

        await using var carol = Client("carol", "carol-pw", "alice/laptop");
        Assert.Equal("a"u8.ToArray(), await carol.ReadAllAsync(ObjectName.Config));
    }

    [Fact]
    public async Task Append_only_users_add_but_never_delete_or_overwrite_except_their_locks()
    {
        await using var alice = Client("alice", "alice-pw", "laptop");
        await alice.CreateAsync();
        var snapshot = new ObjectName(ObjectKind.Snapshot, new string('5', 64));
        await alice.WriteAsync(snapshot, "first"u8.ToArray());
        await using var carol = Client("carol", "carol-pw", "alice/laptop");

        var added = new ObjectName(ObjectKind.Snapshot, new string('6', 64));
        await carol.WriteAsync(added, "new"u8.ToArray());
        var delete = await Assert.ThrowsAsync<StorageException>(() => carol.DeleteAsync(snapshot));
        var overwrite = await Assert.ThrowsAsync<StorageException>(() => carol.WriteAsync(snapshot, "evil"u8.ToArray()));
        var lockName = new ObjectName(ObjectKind.Lock, new string('7', 64));
        await carol.WriteAsync(lockName, "lock"u8.ToArray());
        await carol.WriteAsync(lockName, "refreshed"u8.ToArray());
        await carol.DeleteAsync(lockName);

        await carol.WriteAsync(added, "new"u8.ToArray()); // a retried write of the same bytes is no overwrite
        Assert.Equal(StorageErrorKind.Permanent, delete.Kind);
        Assert.Contains($"append-only: carol may add to alice/laptop but not delete {snapshot}", delete.Message, StringComparison.Ordinal);
        Assert.Contains("but not overwrite", overwrite.Message, StringComparison.Ordinal);
        Assert.Equal("first"u8.ToArray(), await alice.ReadAllAsync(snapshot));
        Assert.Equal("new"u8.ToArray(), await alice.ReadAllAsync(added));
        Assert.Null(await alice.StatAsync(lockName));
    }

    [Fact]
    public async Task Uploads_larger_than_a_piece_are_stored_whole_and_compared_whole_for_append_only_users()
    {
        await using var alice = Client("alice", "alice-pw", "laptop");
        await alice.CreateAsync();
        await using var carol = Client("carol", "carol-pw", "alice/laptop");
        var pack = new ObjectName(ObjectKind.Pack, new string('8', 64));
        var bytes = new byte[(3 * 1024 * 1024) + 5];
        new Random(8).NextBytes(bytes);
        var changed = bytes.ToArray();
        changed[^1] ^= 1;

        await carol.WriteAsync(pack, new ChoppyContent(bytes));
        await carol.WriteAsync(pack, new ChoppyContent(bytes)); // the same bytes again: a retry, accepted
        var overwrite = await Assert.ThrowsAsync<StorageException>(() => carol.WriteAsync(pack, new ChoppyContent(changed)));

        Assert.Contains("but not overwrite", overwrite.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, await alice.ReadAllAsync(pack));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "alice", "laptop"), ".tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_upload_to_a_full_disk_is_refused_as_no_space_and_leaves_nothing_behind()
    {
        if (Environment.UserName != "root")
            return; // mounting a small filesystem needs root; CI runs as root
        var disk = Path.Combine(_root, "small-disk");
        Directory.CreateDirectory(disk);
        Assert.Equal(0, await RunAsync("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", disk));
        try
        {
            var users = UserDatabase.Load(Path.Combine(disk, "users.json"));
            users.Put(new ServerUser("alice", PasswordHash.Create("alice-pw"), AppendOnly: false, Grants: []));
            await using var server = await RepositoryServer.StartAsync(new ServerOptions { Root = disk, Listen = new IPEndPoint(IPAddress.Loopback, 0), Users = users });
            await using var alice = new RestStorage(RestLocation.Parse($"rest:http://alice@{new Uri(server.Addresses[0]).Authority}/laptop"), new RestStorageOptions { Password = "alice-pw" });
            await alice.CreateAsync();

            var full = await Assert.ThrowsAsync<StorageException>(() => alice.WriteAsync(new ObjectName(ObjectKind.Pack, new string('9', 64)), new ChoppyContent(new byte[4 * 1024 * 1024])));

            Assert.Equal(StorageErrorKind.NoSpace, full.Kind);
            Assert.Empty(Directory.GetFiles(Path.Combine(disk, "alice", "laptop"), ".tmp-*", SearchOption.AllDirectories));
        }
        finally
        {
            await Mounts.UnmountAsync(disk);
        }
    }

    private static async Task<int> RunAsync(string program, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    [Fact]
    public async Task A_wrong_password_is_refused_as_a_login_failure()
    {
        await using var alice = Client("alice", "not-it", "laptop");

        var e = await Assert.ThrowsAsync<StorageException>(() => alice.StatAsync(ObjectName.Config));

        Assert.Equal(StorageErrorKind.Permanent, e.Kind);
        Assert.Contains("the server refused the login of alice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_other_than_the_pinned_one_is_refused()
    {
        await using var alice = Client("alice", "alice-pw", "laptop", fingerprint: new string('0', 64));

        var e = await Assert.ThrowsAsync<StorageException>(() => alice.StatAsync(ObjectName.Config));

        Assert.Equal(StorageErrorKind.Permanent, e.Kind);
        Assert.Contains("the server's certificate is not trusted", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_and_key_from_pem_files_serve_https()
    {
        var cert = Path.Combine(_root, "cert.pem");
        var key = Path.Combine(_root, "key.pem");
        using (var openssl = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("openssl",
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1"])
            { RedirectStandardError = true })!)
        {
            await openssl.WaitForExitAsync();
            Assert.Equal(0, openssl.ExitCode);
        }
        using var certificate = ServerCertificate.FromPem(cert, key);
        await using var server = await RepositoryServer.StartAsync(new ServerOptions
        {
            Root = _root,
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Certificate = certificate,
            Users = UserDatabase.Load(Path.Combine(_root, "users.json")),
        });
        await using var alice = new RestStorage(RestLocation.Parse($"rest:https://alice@{new Uri(server.Addresses[0]).Authority}/pem"),
            new RestStorageOptions { Password = "alice-pw", Fingerprint = ServerCertificate.Fingerprint(certificate) });

        await alice.CreateAsync();

        Assert.True(Directory.Exists(Path.Combine(_root, "alice", "pem", "data")));
    }

    [Fact]
    public async Task Healthz_answers_without_a_login()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c is not null && c.Thumbprint == _certificate.Thumbprint };
        using var http = new HttpClient(handler);

        var response = await http.GetAsync(new Uri(new Uri(_server.Addresses[0]), "/healthz"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok\n", await response.Content.ReadAsStringAsync());
    }
}
