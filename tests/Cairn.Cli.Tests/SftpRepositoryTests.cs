using Cairn.Tests.Shared;

namespace Cairn.Cli.Tests;

/// <summary>A repository on a real OpenSSH server over SFTP: round trip, a server that dies and comes back, and refusals.</summary>
public sealed class SftpRepositoryTests : IDisposable
{
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    private async Task<SshServer> UseServerAsync(int port = 22022)
    {
        var server = await SshServer.StartAsync(port);
        _t.RepoUrl = server.Url(_t.Repo);
        _t.GlobalOptions = server.Options();
        return server;
    }

    [Fact]
    public async Task Backup_restore_and_check_through_sftp_give_back_every_byte_and_field()
    {
        await UseServerAsync();
        var source = _t.PathOf("source");
        RichTree.Create(source, withHugeFile: false);
        await _t.InitAsync();
        Assert.True(File.Exists(Path.Combine(_t.Repo, "config")), "init did not write through the server");

        var backup = await _t.RunAsync("backup", source);
        Assert.True(backup.ExitCode == 0, backup.ToString());
        var target = _t.PathOf("restored");
        var restore = await _t.RunAsync("restore", $"latest:{source}", "--target", target, "--verify");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.True(TreeAssert.Same(source, target, compareOwners: RichTree.IsRoot) > 40);
        var check = await _t.RunAsync("check", "--read-data");
        Assert.True(check.ExitCode == 0, check.ToString());
    }

    [Fact]
    public async Task A_server_stopped_during_a_backup_and_started_again_is_waited_for()
    {
        var server = await UseServerAsync(22023);
        var source = CreateIncompressibleSource(96);
        await _t.InitAsync();

        var backup = _t.RunAsync("backup", source);
        await WaitForPacksAsync(backup, 2);
        await server.StopAsync();
        await Task.Delay(1500);
        await server.StartAgainAsync();
        var run = await backup;

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("trying again in", run.Error, StringComparison.Ordinal);
        var check = await _t.RunAsync("check", "--read-data");
        Assert.True(check.ExitCode == 0, check.ToString());
    }

    [Fact]
    public async Task A_backup_cut_off_by_a_server_that_stays_down_is_completed_by_the_next_run_without_uploading_twice()
    {
        var server = await UseServerAsync(22024);
        var source = CreateIncompressibleSource(96);
        await _t.InitAsync();
        _t.GlobalOptions = [.. _t.GlobalOptions, "-o", "retry.give-up-after=2s"];

        var backup = _t.RunAsync("backup", source);
        await WaitForPacksAsync(backup, 2);
        await server.StopAsync();
        var failed = await backup;
        Assert.True(failed.ExitCode == 14, failed.ToString());
        Assert.Contains("gave up after retrying for", failed.Error, StringComparison.Ordinal);
        var uploaded = RepositoryFiles.Packs(_t.Repo);
        Assert.NotEmpty(uploaded);

        await server.StartAgainAsync();
        var second = await _t.RunAsync("--json", "backup", source);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Subset(RepositoryFiles.Packs(_t.Repo).ToHashSet(), uploaded.ToHashSet());
        var stored = RepositoryFiles.Packs(_t.Repo).Sum(p => new FileInfo(p).Length);
        Assert.True(stored < 96L * 1024 * 1024 * 105 / 100, $"{stored} bytes of packs for 96 MiB of incompressible data: something was uploaded twice");
        var check = await _t.RunAsync("check", "--read-data");
        Assert.True(check.ExitCode == 0, check.ToString());
    }

    [Fact]
    public async Task Refusals_get_one_line_and_exit_code_14()
    {
        var server = await UseServerAsync();
        await _t.InitAsync();

        var wrongHostKey = _t.PathOf("known_hosts");
        File.WriteAllText(wrongHostKey, $"[127.0.0.1]:{server.Port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2Oj0z8e0RkQ6d6gX8bSgp0v0Zb3Xyq4qUQ0lWcY5Xa\n");
        _t.GlobalOptions = ["-o", $"sftp.key={server.KeyFile}", "-o", $"sftp.known-hosts={wrongHostKey}", "-o", "sftp.agent=false"];
        await AssertOneLineAsync("does not match the one in " + wrongHostKey + ":1");

        _t.GlobalOptions = ["-o", $"sftp.key={_t.PasswordFile}", "-o", $"sftp.known-hosts={server.KnownHostsFile}", "-o", "sftp.agent=false"];
        await AssertOneLineAsync($"cannot use SSH key {_t.PasswordFile}");

        _t.GlobalOptions = server.Options();
        _t.RepoUrl = $"sftp://root@127.0.0.1:1{_t.Repo}";
        await AssertOneLineAsync("cannot connect to 127.0.0.1:1: Connection refused");

        _t.RepoUrl = server.Url(_t.PathOf("nothing-here"));
        var missing = await _t.RunAsync("snapshots");
        Assert.True(missing.ExitCode == 10, missing.ToString());
    }

    private async Task AssertOneLineAsync(string expected)
    {
        var run = await _t.RunAsync("snapshots");
        Assert.True(run.ExitCode == 14, run.ToString());
        var lines = run.Error.Trim().Split('\n');
        Assert.True(lines.Length == 1, run.ToString());
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
    }

    private string CreateIncompressibleSource(int mebibytes)
    {
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        var random = new Random(11);
        var buffer = new byte[1 << 20];
        for (var file = 0; file < mebibytes / 8; file++)
        {
            using var stream = File.Create(Path.Combine(source, $"blob{file}"));
            for (var i = 0; i < 8; i++)
            {
                random.NextBytes(buffer);
                stream.Write(buffer);
            }
        }
        return source;
    }

    private async Task WaitForPacksAsync(Task<CairnRun> backup, int packs)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!backup.IsCompleted && DateTime.UtcNow < deadline
               && (!Directory.Exists(Path.Combine(_t.Repo, "data")) || RepositoryFiles.Packs(_t.Repo).Count < packs))
            await Task.Delay(5);
        Assert.False(backup.IsCompleted, "the backup ended before the server could be stopped: " + (backup.IsCompleted ? backup.Result.ToString() : ""));
    }
}
