using System.Diagnostics;
using Cairn.Storage.Sftp;
using Cairn.Tests.Shared;

namespace Cairn.Storage.Tests;

/// <summary>How the SFTP store meets a server it must not trust, credentials the server refuses, and no server at all.</summary>
public sealed class SftpStorageTests : IAsyncLifetime
{
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "cairn-sftp-" + Guid.NewGuid().ToString("N"));
    private SshServer _server = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_scratch);
        _server = await SshServer.StartAsync();
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_scratch, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_known_host_and_an_authorised_key_give_a_working_store()
    {
        await using var storage = Open(_server.KnownHostsFile, _server.KeyFile);

        await storage.CreateAsync();
        await storage.WriteAsync(ObjectName.Config, "hello"u8.ToArray());

        Assert.Equal("hello"u8.ToArray(), await storage.ReadAllAsync(ObjectName.Config));
        Assert.Equal("hello", File.ReadAllText(Path.Combine(_scratch, "repo", "config")));
    }

    [Fact]
    public async Task Temporary_files_of_interrupted_uploads_are_removed_once_stale()
    {
        await using var storage = Open(_server.KnownHostsFile, _server.KeyFile);
        await storage.CreateAsync();
        var old = Path.Combine(_scratch, "repo", "data", "aa", ".tmp-interrupted");
        var fresh = Path.Combine(_scratch, "repo", "snapshots", ".tmp-in-flight");
        File.WriteAllText(old, "half a pack");
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-2));
        File.WriteAllText(fresh, "being written");

        var removed = await storage.RemoveStaleTemporaryFilesAsync(TimeSpan.FromDays(1));

        Assert.Equal(1, removed);
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public async Task A_hashed_known_hosts_entry_is_recognised()
    {
        var hashed = Path.Combine(_scratch, "known_hosts");
        File.Copy(_server.KnownHostsFile, hashed);
        Assert.Equal(0, await RunAsync("ssh-keygen", "-H", "-f", hashed));
        Assert.StartsWith("|1|", File.ReadAllText(hashed), StringComparison.Ordinal);
        await using var storage = Open(hashed, _server.KeyFile);

        Assert.Null(await storage.StatAsync(ObjectName.Config));
    }

    [Fact]
    public async Task A_changed_host_key_is_refused_naming_the_known_hosts_line()
    {
        var otherKey = await NewKeyAsync("other_host");
        var knownHosts = Path.Combine(_scratch, "known_hosts");
        File.WriteAllText(knownHosts, $"# comment\n[127.0.0.1]:{_server.Port} {string.Join(' ', File.ReadAllText(otherKey + ".pub").Split(' ')[..2])}\n");
        await using var storage = Open(knownHosts, _server.KeyFile);

        var e = await Assert.ThrowsAsync<StorageException>(() => storage.StatAsync(ObjectName.Config));

        Assert.Equal(StorageErrorKind.Permanent, e.Kind);
        Assert.StartsWith($"the host key of [127.0.0.1]:{_server.Port} (ssh-ed25519 SHA256:", e.Message, StringComparison.Ordinal);
        Assert.Contains($"does not match the one in {knownHosts}:2: someone may be intercepting the connection", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_host_is_refused_with_the_command_that_adds_it()
    {
        var empty = Path.Combine(_scratch, "known_hosts");
        File.WriteAllText(empty, "");
        await using var storage = Open(empty, _server.KeyFile);

        var e = await Assert.ThrowsAsync<StorageException>(() => storage.StatAsync(ObjectName.Config));

        Assert.Equal(StorageErrorKind.Permanent, e.Kind);
        Assert.Contains("is not known", e.Message, StringComparison.Ordinal);
        Assert.Contains($"ssh-keyscan -p {_server.Port} 127.0.0.1 >> ~/.ssh/known_hosts", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_the_server_does_not_know_is_refused_as_a_login_failure()
    {
        var stranger = await NewKeyAsync("stranger");
        await using var storage = Open(_server.KnownHostsFile, stranger);

        var e = await Assert.ThrowsAsync<StorageException>(() => storage.StatAsync(ObjectName.Config));

        Assert.Equal(StorageErrorKind.Permanent, e.Kind);
        Assert.Equal("127.0.0.1 refused the login of root with 1 key: is the public key in the server's authorized_keys?", e.Message);
    }

    [Fact]
    public async Task A_refused_connection_is_transient_and_named()
    {
        await using var storage = new SftpStorage(new SftpLocation("root", "127.0.0.1", 1, "/x"), new SftpStorageOptions
        {
            KeyFiles = [_server.KeyFile],
            KnownHostsFiles = [_server.KnownHostsFile],
            AgentSocket = null,
        });

        var e = await Assert.ThrowsAsync<StorageException>(() => storage.StatAsync(ObjectName.Config));

        Assert.Equal(StorageErrorKind.Transient, e.Kind);
        Assert.StartsWith("cannot connect to 127.0.0.1:1: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("refused", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Keys_of_a_running_ssh_agent_log_in()
    {
        var socket = Path.Combine(_scratch, "agent.sock");
        using var agent = Process.Start(new ProcessStartInfo("ssh-agent", ["-D", "-a", socket]) { RedirectStandardOutput = true })!;
        try
        {
            for (var i = 0; i < 100 && !File.Exists(socket); i++)
                await Task.Delay(20);
            var add = new ProcessStartInfo("ssh-add", [_server.KeyFile]) { RedirectStandardError = true };
            add.Environment["SSH_AUTH_SOCK"] = socket;
            using (var adding = Process.Start(add)!)
            {
                await adding.WaitForExitAsync();
                Assert.Equal(0, adding.ExitCode);
            }
            await using var storage = new SftpStorage(new SftpLocation("root", "127.0.0.1", _server.Port, Path.Combine(_scratch, "repo")), new SftpStorageOptions
            {
                KeyFiles = [],
                KnownHostsFiles = [_server.KnownHostsFile],
                AgentSocket = socket,
            });

            Assert.Null(await storage.StatAsync(ObjectName.Config));
        }
        finally
        {
            agent.Kill();
            await agent.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Windows_of_packs_read_one_after_another_interleaved_and_backwards_return_their_bytes()
    {
        await using var storage = Open(_server.KnownHostsFile, _server.KeyFile);
        await storage.CreateAsync();
        var packs = new[] { new ObjectName(ObjectKind.Pack, new string('a', 64)), new ObjectName(ObjectKind.Pack, new string('b', 64)) };
        var contents = new[] { Bytes(3 * Window + 1234, 1), Bytes(2 * Window, 2) };
        for (var i = 0; i < packs.Length; i++)
            await storage.WriteAsync(packs[i], contents[i]);

        // Each pack's windows in order, the two packs taking turns, then windows again from the start and backwards.
        var reads = new (int Pack, long Offset)[] { (0, 0), (1, 0), (0, Window), (1, Window), (0, 2 * Window), (0, 3 * Window), (0, 0), (1, Window), (1, 0) };
        foreach (var (pack, offset) in reads)
        {
            var window = new byte[Window];
            var n = await storage.ReadAsync(packs[pack], offset, window);
            var expected = contents[pack].AsSpan((int)offset, (int)Math.Min(Window, contents[pack].Length - offset));
            Assert.Equal(expected.Length, n);
            Assert.True(expected.SequenceEqual(window.AsSpan(0, n)), $"pack {pack} at {offset} read back different");
        }
    }

    [Fact]
    public async Task A_pack_read_on_from_where_a_read_stopped_survives_a_server_restart_in_between()
    {
        var server = await SshServer.StartAsync(22031);
        var storage = new RetryingStorage(Open(server.KnownHostsFile, server.KeyFile, server)) { FirstDelay = TimeSpan.FromMilliseconds(100) };
        await using var _ = storage;
        await storage.CreateAsync();
        var pack = new ObjectName(ObjectKind.Pack, new string('c', 64));
        var content = Bytes(2 * Window, 3);
        await storage.WriteAsync(pack, content);
        var first = new byte[Window];
        Assert.Equal(Window, await storage.ReadAsync(pack, 0, first));

        await server.StopAsync();
        await server.StartAgainAsync();
        var second = new byte[Window];
        Assert.Equal(Window, await storage.ReadAsync(pack, Window, second));

        Assert.Equal(content, first.Concat(second).ToArray());
    }

    private const int Window = 1024 * 1024;

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private SftpStorage Open(string knownHosts, string key, SshServer? server = null) =>
        new(new SftpLocation("root", "127.0.0.1", (server ?? _server).Port, Path.Combine(_scratch, "repo")), new SftpStorageOptions
        {
            KeyFiles = [key],
            KnownHostsFiles = [knownHosts],
            AgentSocket = null,
        });

    private async Task<string> NewKeyAsync(string name)
    {
        var path = Path.Combine(_scratch, name);
        Assert.Equal(0, await RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", path));
        return path;
    }

    private static async Task<int> RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
