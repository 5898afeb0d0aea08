namespace Cairn.Cli.Tests;

/// <summary>Exit codes, help with examples, JSON output and the command-line rendering.</summary>
public sealed class CliConventionTests : IDisposable
{
    private readonly TestRepository _t = new();

    [Theory]
    [InlineData("init")]
    [InlineData("backup")]
    [InlineData("restore")]
    [InlineData("snapshots")]
    [InlineData("check")]
    [InlineData("ls")]
    [InlineData("find")]
    [InlineData("diff")]
    [InlineData("stats")]
    [InlineData("cat")]
    [InlineData("key")]
    [InlineData("unlock")]
    public async Task HelpShowsAnExample(string command)
    {
        var output = new StringWriter();
        var code = await CliApp.RunAsync([command, "--help"], output, new StringWriter());
        Assert.Equal(0, code);
        Assert.Contains("Example:", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("cairn ", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsageErrorsExit2()
    {
        var error = new StringWriter();
        Assert.Equal(2, await CliApp.RunAsync(["backup", "--no-such-option", "x"], new StringWriter(), error));
        Assert.Equal(2, await CliApp.RunAsync(["restore", "latest"], new StringWriter(), new StringWriter()));
        Assert.Equal(2, await CliApp.RunAsync(["frobnicate"], new StringWriter(), new StringWriter()));
        await _t.InitAsync();
        var run = await _t.RunAsync("backup", "--compression", "fast-ish", _t.Root);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("invalid compression", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoPasswordWhenNotOnATerminalIsAUsageError()
    {
        await _t.InitAsync();
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(["-r", _t.Repo, "snapshots"], output, error);
        if (Environment.GetEnvironmentVariable("CAIRN_PASSWORD") is null && Console.IsInputRedirected)
        {
            Assert.Equal(2, code);
            Assert.Contains("no password", error.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PasswordCommandOpensTheRepositoryAndInitTwiceIsRefused()
    {
        await _t.InitAsync();
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(["-r", _t.Repo, "--password-command", $"cat {_t.PasswordFile}", "snapshots", "--json"], output, error);
        Assert.True(code == 0, error.ToString());
        Assert.Equal("[]", output.ToString().Trim());
        var again = await _t.RunAsync("init");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already holds a repository", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysCanBeAddedUsedAndRemoved()
    {
        await _t.InitAsync();
        var second = _t.PathOf("second-password");
        File.WriteAllText(second, "another password\n");
        var add = await _t.RunAsync("key", "add", "--new-password-file", second);
        Assert.True(add.ExitCode == 0, add.ToString());
        var output = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["-r", _t.Repo, "--password-file", second, "key", "list", "--json"], output, new StringWriter()));
        Assert.Equal(2, System.Text.Json.JsonDocument.Parse(output.ToString()).RootElement.GetArrayLength());
        var original = System.Text.Json.JsonDocument.Parse(output.ToString()).RootElement.EnumerateArray().First(k => !k.GetProperty("current").GetBoolean()).GetProperty("id").GetString()!;
        Assert.Equal(0, await CliApp.RunAsync(["-r", _t.Repo, "--password-file", second, "key", "remove", original[..8]], new StringWriter(), new StringWriter()));
        Assert.Equal(12, (await _t.RunAsync("snapshots")).ExitCode);
    }

    [Fact]
    public void CommandsRenderAsShellCommandLines()
    {
        var options = new Commands.Backup.BackupCommandOptions { Paths = ["/home/me/my docs"], Excludes = ["*.tmp"], Tags = ["it's"] };
        var global = new Commands.GlobalOptions("/srv/backup", new Commands.PasswordOptions(Command: "pass show cairn"));
        var line = Commands.CommandLine.Render(global.ToArguments().Concat(options.ToArguments()));
        Assert.Equal("cairn -r /srv/backup --password-command 'pass show cairn' backup --exclude '*.tmp' --tag 'it'\\''s' '/home/me/my docs'", line);
    }

    public void Dispose() => _t.Dispose();
}
