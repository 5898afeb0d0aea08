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
        await _t.InitAsync();
        Assert.True(File.Exists(Path.Combine(_t.Repo, "config")), "init did not write through the server");
        await RemoteScenarios.RoundTripAsync(_t);
    }

    [Fact]
    public async Task A_server_stopped_during_a_backup_and_started_again_is_waited_for()
    {
        var server = await UseServerAsync(22023);
        await _t.InitAsync();
        await RemoteScenarios.BackupThroughAnOutageAsync(_t, () => RemoteScenarios.PacksIn(_t.Repo), server.StopAsync, server.StartAgainAsync);
    }

    [Fact]
    public async Task A_backup_cut_off_by_a_server_that_stays_down_is_completed_by_the_next_run_without_uploading_twice()
    {
        var server = await UseServerAsync(22024);
        var source = RemoteScenarios.IncompressibleSource(_t, 96);
        await _t.InitAsync();
        _t.GlobalOptions = [.. _t.GlobalOptions, "-o", "retry.give-up-after=2s"];

        var backup = await RemoteScenarios.StartBackupAndWaitForPacksAsync(_t, source, () => RemoteScenarios.PacksIn(_t.Repo));
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
    public async Task A_snapshot_copied_from_a_local_repository_restores_identically_from_sftp()
    {
        await UseServerAsync();
        using var local = new TestRepository();
        var tree = local.PathOf("tree");
        RichTree.Create(tree, withHugeFile: false);
        await local.InitAsync();
        Assert.Equal(0, (await local.RunAsync("backup", tree)).ExitCode);
        await _t.InitAsync();

        var copy = await _t.RunAsync("copy", "--from-repo", local.Repo, "--from-password-file", local.PasswordFile);
        Assert.True(copy.ExitCode == 0, copy.ToString());
        var target = _t.PathOf("restored");
        var restore = await _t.RunAsync("restore", $"latest:{tree}", "--target", target, "--verify");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.True(TreeAssert.Same(tree, target, compareOwners: RichTree.IsRoot) > 40);
    }

    [Fact]
    public async Task Refusals_get_one_line_and_exit_code_14()
    {
        var server = await UseServerAsync();
        await _t.InitAsync();

        var wrongHostKey = _t.PathOf("known_hosts");
        File.WriteAllText(wrongHostKey, $"[127.0.0.1]:{server.Port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2Oj0z8e0RkQ6d6gX8bSgp0v0Zb3Xyq4qUQ0lWcY5Xa\n");
        _t.GlobalOptions = ["-o", $"sftp.key={server.KeyFile}", "-o", $"sftp.known-hosts={wrongHostKey}", "-o", "sftp.agent=false"];
        await RemoteScenarios.RefusedInOneLineAsync(_t, "does not match the one in " + wrongHostKey + ":1");

        _t.GlobalOptions = ["-o", $"sftp.key={_t.PasswordFile}", "-o", $"sftp.known-hosts={server.KnownHostsFile}", "-o", "sftp.agent=false"];
        await RemoteScenarios.RefusedInOneLineAsync(_t, $"cannot use SSH key {_t.PasswordFile}");

        _t.GlobalOptions = server.Options();
        _t.RepoUrl = $"sftp://root@127.0.0.1:1{_t.Repo}";
        await RemoteScenarios.RefusedInOneLineAsync(_t, "cannot connect to 127.0.0.1:1: Connection refused");

        _t.RepoUrl = server.Url(_t.PathOf("nothing-here"));
        var missing = await _t.RunAsync("snapshots");
        Assert.True(missing.ExitCode == 10, missing.ToString());
    }
}
