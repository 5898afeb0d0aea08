using Cairn.Core.Platform;

namespace Cairn.Cli.Tests;

/// <summary>
/// A restored file is created with its own permissions where it can be, and its owner and mode are changed only
/// when they differ from what it got: whatever the umask, the restoring user and the file's mode, every mode and
/// owner comes back exactly.
/// </summary>
public sealed class RestoreModeTests : IDisposable
{
    private readonly TestRepository _t = new();

    [Fact]
    public async Task Modes_come_back_exactly_when_the_restore_runs_under_umask_077()
    {
        var source = _t.PathOf("source");
        RichTree.Create(source, withHugeFile: false);
        await _t.InitAsync();
        await _t.RunOkAsync("backup", source);

        var target = _t.PathOf("restored");
        var restore = await _t.RunProcessAsync(["restore", $"latest:{source}", "--target", target], umask: "077");

        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.True(TreeAssert.Same(source, target, compareOwners: RichTree.IsRoot) > 40);
    }

    [Fact]
    public async Task A_user_restores_their_own_read_only_files_of_several_chunks()
    {
        if (!RichTree.IsRoot)
            return; // needs another user; CI runs as root
        var source = _t.PathOf("source");
        RichTree.Create(source, withHugeFile: false);
        Assert.Equal(0, await Shell.RunAsync("chown", "-R", "-h", "65534:65534", source));
        await BackUpForAnotherUserAsync(source);

        var target = _t.PathOf("restored");
        var restore = await _t.RunProcessAsync(["restore", $"latest:{source}", "--target", target], asUser: "65534");

        Assert.True(restore.ExitCode == 0, restore.ToString());
        var readOnly = Posix.Lstat(PathBytes.FromString(Path.Combine(target, "read-only-chunks")));
        Assert.Equal((0x124u, 65534u, 65534u), (readOnly.Mode, readOnly.Uid, readOnly.Gid));
        Assert.True(TreeAssert.Same(source, target, compareOwners: true) > 40);
    }

    [Fact]
    public async Task A_user_verifies_their_own_files_that_they_may_not_read_in_directories_they_may_not_enter()
    {
        if (!RichTree.IsRoot)
            return; // needs another user; CI runs as root
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        foreach (var (name, mode) in new[] { ("none", "0000"), ("write-only", "0200"), ("setuid-exec-only", "4100") })
        {
            File.WriteAllText(Path.Combine(source, name), name);
            Assert.Equal(0, await Shell.RunAsync("chmod", mode, Path.Combine(source, name)));
        }
        foreach (var (name, mode) in new[] { ("closed", "0000"), ("not-searchable", "0600") })
        {
            Directory.CreateDirectory(Path.Combine(source, name));
            File.WriteAllText(Path.Combine(source, name, "inside"), "inside " + name);
            Assert.Equal(0, await Shell.RunAsync("chmod", mode, Path.Combine(source, name)));
        }
        Assert.Equal(0, await Shell.RunAsync("chown", "-R", "-h", "65534:65534", source));
        await BackUpForAnotherUserAsync(source);

        var target = _t.PathOf("restored");
        var restore = await _t.RunProcessAsync(["--json", "restore", $"latest:{source}", "--target", target, "--verify"], asUser: "65534");

        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal(5, System.Text.Json.JsonDocument.Parse(restore.Output).RootElement.GetProperty("verified").GetInt64());
        Assert.Equal(8, TreeAssert.Same(source, target, compareOwners: true));
    }

    /// <summary>Backs up <paramref name="source"/>; another user may then read the repository and write a lock there (the source keeps the modes it was backed up with).</summary>
    private async Task BackUpForAnotherUserAsync(string source)
    {
        await _t.InitAsync();
        await _t.RunOkAsync("backup", source);
        Assert.Equal(0, await Shell.RunAsync("chmod", "a+rwx", _t.Root));
        Assert.Equal(0, await Shell.RunAsync("chmod", "-R", "a+rwX", _t.Repo));
        Assert.Equal(0, await Shell.RunAsync("chmod", "0644", _t.PasswordFile));
    }

    public void Dispose() => _t.Dispose();
}
