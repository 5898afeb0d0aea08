namespace Cairn.Cli.Tests;

/// <summary><c>backup --stdin</c> and <c>--stdin-from-command</c>: a stream stored as one file, and a failing command that makes no snapshot.</summary>
public sealed class StreamBackupTests : IDisposable
{
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task Standard_input_is_stored_as_one_file_that_restores_byte_for_byte()
    {
        await _t.InitAsync();
        var data = new byte[5 << 20];
        new Random(51).NextBytes(data);
        using (var process = _t.Start(["backup", "--stdin", "--stdin-filename", "disk.img"], redirectInput: true))
        {
            await process.StandardInput.BaseStream.WriteAsync(data);
            process.StandardInput.Close();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, error);
        }
        var target = _t.PathOf("restored");
        await _t.RunOkAsync("restore", "latest", "--target", target, "--verify");
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(target, "disk.img")));
        Assert.Contains("/disk.img", (await _t.RunOkAsync("snapshots")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_s_output_is_backed_up_and_a_failing_command_makes_no_snapshot()
    {
        await _t.InitAsync();
        await _t.RunOkAsync("backup", "--stdin-from-command", "seq 1 200000", "--stdin-filename", "numbers.txt");
        var target = _t.PathOf("restored");
        await _t.RunOkAsync("restore", "latest", "--target", target);
        var lines = File.ReadAllLines(Path.Combine(target, "numbers.txt"));
        Assert.Equal(200000, lines.Length);
        Assert.Equal("200000", lines[^1]);

        var failing = await _t.RunAsync("backup", "--stdin-from-command", "echo partial; exit 3", "--stdin-filename", "dump.sql");
        Assert.True(failing.ExitCode == 2, failing.ToString());
        Assert.Contains("exited with code 3: no snapshot was made", failing.Error, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(_t.Repo, "snapshots")));

        var both = await _t.RunAsync("backup", "--stdin-from-command", "true", _t.PasswordFile);
        Assert.True(both.ExitCode == 2, both.ToString());
    }
}
