namespace Cairn.Cli.Tests;

/// <summary>A repository on a real <c>cairn serve</c> over HTTPS: round trip, append-only, a server that dies and comes back, refusals.</summary>
public sealed class RestRepositoryTests : IAsyncLifetime
{
    private readonly TestRepository _t = new();
    private readonly string _root;
    private ServeProcess? _serve;

    public RestRepositoryTests()
    {
        _root = _t.PathOf("server-root");
        Directory.CreateDirectory(_root);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_serve is not null)
            await _serve.DisposeAsync();
        _t.Dispose();
    }

    private async Task AddUserAsync(string name, string password, params string[] options)
    {
        var file = _t.PathOf($"{name}.pw");
        File.WriteAllText(file, password + "\n");
        var error = new StringWriter();
        var code = await CliApp.RunAsync(["serve", "--root", _root, "user", "add", name, "--password-file", file, .. options], new StringWriter(), error);
        Assert.True(code == 0, error.ToString());
    }

    private async Task ServeAsync(string user, string password, params string[] arguments)
    {
        _serve = await ServeProcess.StartAsync(_t, _root, arguments);
        var passwordFile = _t.PathOf($"{user}.pw");
        File.WriteAllText(passwordFile, password + "\n");
        _t.RepoUrl = _serve.Url(user, "laptop");
        _t.GlobalOptions = ["-o", $"rest.fingerprint={_serve.Fingerprint}", "-o", $"rest.password-file={passwordFile}"];
    }

    [Fact]
    public async Task Backup_restore_and_check_through_the_server_give_back_every_byte_and_field()
    {
        await AddUserAsync("alice", "alice-pw");
        await ServeAsync("alice", "alice-pw");
        await _t.InitAsync();
        Assert.True(File.Exists(Path.Combine(_root, "alice", "laptop", "config")));
        await RemoteScenarios.RoundTripAsync(_t);
    }

    [Fact]
    public async Task An_append_only_server_takes_backups_and_refuses_forget_prune_and_key_removal_removing_nothing()
    {
        await AddUserAsync("alice", "alice-pw");
        await ServeAsync("alice", "alice-pw", "--append-only");
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "a"), "one");
        await _t.InitAsync();
        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);
        File.WriteAllText(Path.Combine(source, "b"), "two");
        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);
        var newKey = _t.PathOf("new.pw");
        File.WriteAllText(newKey, "another password\n");
        Assert.Equal(0, (await _t.RunAsync("key", "add", "--new-password-file", newKey)).ExitCode);
        var keys = Directory.GetFiles(Path.Combine(_root, "alice", "laptop", "keys"));
        var before = RepositoryFiles.Fingerprint(Path.Combine(_root, "alice", "laptop"));

        var list = await _t.RunAsync("--json", "key", "list");
        var notCurrent = System.Text.Json.JsonDocument.Parse(list.Output).RootElement.EnumerateArray().First(k => !k.GetProperty("current").GetBoolean()).GetProperty("id").GetString()!;
        var remove = await _t.RunAsync("key", "remove", notCurrent);
        var forget = await _t.RunAsync("forget", "latest");
        var prune = await _t.RunAsync("prune");
        var overwrite = await _t.RunAsync("prune", "--overwrite-freed");

        Assert.True(remove.ExitCode == 14, remove.ToString());
        Assert.Contains("append-only: alice may add to alice/laptop but not delete keys/", remove.Error, StringComparison.Ordinal);
        Assert.True(forget.ExitCode == 14, forget.ToString());
        Assert.Contains("append-only: alice may add to alice/laptop but not delete snapshots/", forget.Error, StringComparison.Ordinal);
        Assert.True(prune.ExitCode == 14, prune.ToString());
        Assert.True(overwrite.ExitCode == 2 && overwrite.Error.Contains("cannot overwrite objects in place", StringComparison.Ordinal), overwrite.ToString());
        Assert.True(prune.Error.Contains("prune needs to delete, and the store refuses: ", StringComparison.Ordinal)
            && prune.Error.Contains("append-only: alice may add to alice/laptop but not delete pending/", StringComparison.Ordinal), prune.ToString());
        Assert.Equal(2, keys.Length);
        Assert.Equal(before, RepositoryFiles.Fingerprint(Path.Combine(_root, "alice", "laptop")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "alice", "laptop", "locks"))); // backups removed their own locks
    }

    [Fact]
    public async Task Packs_a_prune_asked_to_overwrite_wait_for_a_prune_that_can_and_are_not_deleted_through_the_server()
    {
        await AddUserAsync("alice", "alice-pw");
        await ServeAsync("alice", "alice-pw");
        await _t.InitAsync();
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        var data = new byte[1 << 20];
        foreach (var seed in new[] { 1, 2 })
        {
            new Random(seed).NextBytes(data);
            File.WriteAllBytes(Path.Combine(source, "a"), data);
            await _t.RunOkAsync("backup", source);
        }
        await _t.RunOkAsync("forget", "--keep-last", "1");
        var onDisk = Path.Combine(_root, "alice", "laptop");
        var (throughServer, serverOptions) = (_t.RepoUrl, _t.GlobalOptions);
        var password = System.Text.Encoding.UTF8.GetBytes(File.ReadAllText(_t.PasswordFile).TrimEnd('\n'));
        await using var repository = await Cairn.Core.Repository.Repository.OpenAsync(new Cairn.Storage.LocalStorage(onDisk), password);
        await using (var restoreRunning = await repository.LockAsync(exclusive: false, "restore"))
        {
            // On the server's own disk, with a restore running: the packs wait, to be overwritten when deleted.
            (_t.RepoUrl, _t.GlobalOptions) = (onDisk, []);
            await _t.RunOkAsync("prune", "--max-unused", "0", "--overwrite-freed");
            (_t.RepoUrl, _t.GlobalOptions) = (throughServer, serverOptions);
        }
        var (_, note) = Assert.Single(await repository.LoadDeletionNotesAsync());
        var named = note.Packs.Select(p => Path.Combine(onDisk, "data", p[..2], p)).Where(File.Exists).ToList();
        Assert.NotEmpty(named);
        var links = _t.PathOf("links");
        Directory.CreateDirectory(links);
        foreach (var pack in named)
            Assert.Equal(0, await Shell.RunAsync("ln", pack, Path.Combine(links, Path.GetFileName(pack))));

        var prune = await _t.RunOkAsync("prune", "--max-unused", "0");

        Assert.Contains($"{named.Count} packs are out of the index and wait to be overwritten with zeros", prune.Output, StringComparison.Ordinal);
        Assert.All(named, pack => Assert.True(File.Exists(pack), $"{pack} was deleted without being overwritten"));
        Assert.Single(await repository.LoadDeletionNotesAsync());
        var json = System.Text.Json.JsonDocument.Parse((await _t.RunOkAsync("--json", "prune", "--max-unused", "0")).Output).RootElement;
        Assert.Equal(named.Count, json.GetProperty("packs_awaiting_overwrite").GetInt32());

        (_t.RepoUrl, _t.GlobalOptions) = (onDisk, []);
        await _t.RunOkAsync("prune", "--max-unused", "0");
        Assert.All(named, pack => Assert.False(File.Exists(pack), $"{pack} outlived its note"));
        Assert.All(Directory.GetFiles(links), link => Assert.True(File.ReadAllBytes(link).All(b => b == 0), $"{link} still holds data"));
        Assert.Empty(await repository.LoadDeletionNotesAsync());
        (_t.RepoUrl, _t.GlobalOptions) = (throughServer, serverOptions);
        await _t.RunOkAsync("check", "--read-data");
    }

    [Fact]
    public async Task A_server_stopped_during_a_backup_and_started_again_is_waited_for()
    {
        await AddUserAsync("alice", "alice-pw");
        await ServeAsync("alice", "alice-pw");
        await _t.InitAsync();
        await RemoteScenarios.BackupThroughAnOutageAsync(_t, () => RemoteScenarios.PacksIn(Path.Combine(_root, "alice", "laptop")),
            _serve!.StopAsync, _serve!.StartAgainAsync);
    }

    [Fact]
    public async Task Refusals_get_one_line_and_exit_code_14()
    {
        await AddUserAsync("alice", "alice-pw");
        await AddUserAsync("bob", "bob-pw");
        await ServeAsync("alice", "alice-pw");
        await _t.InitAsync();

        var fingerprint = _t.GlobalOptions[1];
        _t.GlobalOptions = ["-o", fingerprint, "-o", $"rest.password-file={_t.PathOf("bob.pw")}"];
        _t.RepoUrl = $"rest:https://bob@127.0.0.1:{_serve!.Port}/alice/laptop";
        await RemoteScenarios.RefusedInOneLineAsync(_t, "bob may not use alice/laptop");

        File.WriteAllText(_t.PathOf("wrong.pw"), "wrong\n");
        _t.GlobalOptions = ["-o", fingerprint, "-o", $"rest.password-file={_t.PathOf("wrong.pw")}"];
        _t.RepoUrl = _serve.Url("alice", "laptop");
        await RemoteScenarios.RefusedInOneLineAsync(_t, "the server refused the login of alice");

        _t.GlobalOptions = ["-o", $"rest.password-file={_t.PathOf("alice.pw")}"];
        await RemoteScenarios.RefusedInOneLineAsync(_t, "the server's certificate is not trusted");
    }
}
