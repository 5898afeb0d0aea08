using Cairn.Tests.Shared;

namespace Cairn.Cli.Tests;

/// <summary>A repository in a bucket of a real S3-compatible server: round trip, a server that dies and comes back, refusals and damage.</summary>
public sealed class S3RepositoryTests : IDisposable
{
    private readonly TestRepository _t = new();
    private readonly string _bucket = S3Server.NewBucket();

    public S3RepositoryTests()
    {
        // The usual variables of every S3 tool; the same values for every test, so tests in parallel agree.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", S3Server.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", S3Server.SecretKey);
    }

    public void Dispose() => _t.Dispose();

    private async Task<S3Server> UseServerAsync(int port = 24568)
    {
        var server = await S3Server.StartAsync(port);
        _t.RepoUrl = server.Url(_bucket);
        return server;
    }

    [Fact]
    public async Task Backup_restore_and_check_through_s3_give_back_every_byte_and_field()
    {
        var server = await UseServerAsync();
        await _t.InitAsync();
        Assert.True(File.Exists(server.ObjectFile(_bucket, "repo/config")), "init did not create the bucket and write the config");
        await RemoteScenarios.RoundTripAsync(_t);
    }

    [Fact]
    public async Task A_server_stopped_during_a_backup_and_started_again_is_waited_for()
    {
        var server = await UseServerAsync(24569);
        await _t.InitAsync();
        await RemoteScenarios.BackupThroughAnOutageAsync(_t, () => Packs(server).Count, server.StopAsync, server.StartAgainAsync);
    }

    [Fact]
    public async Task A_missing_bucket_gets_one_line_and_exit_code_14()
    {
        await UseServerAsync();

        var run = await _t.RunAsync("snapshots");

        Assert.True(run.ExitCode == 14, run.ToString());
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.Contains($"the bucket {_bucket} does not exist", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pack_cut_short_on_the_server_is_named_by_check()
    {
        var server = await UseServerAsync();
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        File.WriteAllBytes(Path.Combine(source, "data.bin"), new byte[3 << 20]);
        await _t.InitAsync();
        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);

        var pack = Packs(server).First();
        using (var file = new FileStream(pack, FileMode.Open))
            file.SetLength(file.Length / 2);
        var run = await _t.RunAsync("check");

        Assert.True(run.ExitCode == 4, run.ToString());
        var name = Path.GetFileName(pack).Replace("._S3rver_object", "", StringComparison.Ordinal);
        Assert.Contains(name, run.Output, StringComparison.Ordinal);
    }

    private List<string> Packs(S3Server server)
    {
        var data = Path.Combine(server.Directory, "data", _bucket, "repo", "data");
        return Directory.Exists(data) ? [.. Directory.EnumerateFiles(data, "*._S3rver_object", SearchOption.AllDirectories)] : [];
    }
}
