using System.Text.Json;

namespace Cairn.Cli.Tests;

/// <summary><c>cairn copy</c>: a snapshot copied into a repository with another password restores identically there.</summary>
public sealed class CopyTests : IDisposable
{
    private readonly TestRepository _source = new();
    private readonly TestRepository _target = new();

    public void Dispose()
    {
        _source.Dispose();
        _target.Dispose();
    }

    private async Task<JsonElement> CopyAsync(params string[] snapshots)
    {
        var run = await _target.RunOkAsync(["--json", "copy", "--from-repo", _source.Repo, "--from-password-file", _source.PasswordFile, .. snapshots]);
        return JsonDocument.Parse(run.Output).RootElement;
    }

    [Fact]
    public async Task A_copied_snapshot_restores_identically_and_a_second_copy_writes_only_what_changed()
    {
        File.WriteAllText(_target.PasswordFile, "another password entirely\n");
        var tree = _source.PathOf("tree");
        RichTree.Create(tree, withHugeFile: false);
        await _source.InitAsync();
        await _target.InitAsync();
        await _source.RunOkAsync("backup", "--tag", "nightly", "--destroy-after", "10y", tree);

        var first = await CopyAsync();
        var copied = Assert.Single(first.GetProperty("copied").EnumerateArray());
        Assert.True(first.GetProperty("blobs_added").GetInt64() > 0);
        var restored = _target.PathOf("restored");
        await _target.RunOkAsync("restore", $"latest:{tree}", "--target", restored, "--verify");
        Assert.True(TreeAssert.Same(tree, restored, compareOwners: RichTree.IsRoot) > 40);
        await _target.RunOkAsync("check", "--read-data");
        var snapshot = JsonDocument.Parse((await _target.RunOkAsync("--json", "snapshots")).Output).RootElement.EnumerateArray().Single();
        Assert.Equal(["nightly"], snapshot.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(copied.GetProperty("time").GetString(), snapshot.GetProperty("time").GetString());
        Assert.False(snapshot.TryGetProperty("destroy_after", out _), "the source's destroy-by date came along: each repository keeps its own retention");

        var again = await CopyAsync();
        Assert.Empty(again.GetProperty("copied").EnumerateArray());
        Assert.Equal(1, again.GetProperty("already_copied").GetInt32());

        // One small new file: the next copy writes that file's blob and trees (whose access times moved), no other data.
        File.WriteAllText(Path.Combine(tree, "new-file.txt"), "added after the first copy");
        await _source.RunOkAsync("backup", tree);
        var third = await CopyAsync();
        Assert.Single(third.GetProperty("copied").EnumerateArray());
        Assert.True(third.GetProperty("bytes_added").GetInt64() < first.GetProperty("bytes_added").GetInt64() / 4, $"{first}\n{third}");
        var latest = _target.PathOf("latest");
        await _target.RunOkAsync("restore", $"latest:{tree}", "--target", latest, "--verify");
        TreeAssert.Same(tree, latest, compareOwners: RichTree.IsRoot);

        // Each repository keeps its own retention.
        await _target.RunOkAsync("forget", "--keep-last", "1");
        Assert.Equal(2, JsonDocument.Parse((await _source.RunOkAsync("--json", "snapshots")).Output).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task With_the_source_chunker_params_copies_read_only_new_data_and_backups_deduplicate_across_both()
    {
        var data = _source.PathOf("data");
        Directory.CreateDirectory(data);
        var random = new Random(41);
        var bytes = new byte[3 << 20];
        for (var i = 0; i < 4; i++)
        {
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(data, $"f{i}"), bytes);
        }
        File.WriteAllText(_target.PasswordFile, "another password entirely\n");
        await _source.InitAsync();
        await _source.RunOkAsync("backup", data);
        await _target.RunOkAsync("init", "--kdf-memory", "8192", "--copy-chunker-params", "--from-repo", _source.Repo, "--from-password-file", _source.PasswordFile);

        var first = await CopyAsync();
        Assert.True(first.GetProperty("same_ids").GetBoolean(), first.ToString());
        var read = first.GetProperty("blobs_read").GetInt64();
        Assert.True(read > 4, first.ToString());

        random.NextBytes(bytes);
        File.WriteAllBytes(Path.Combine(data, "f9"), bytes);
        await _source.RunOkAsync("backup", data);
        var second = await CopyAsync();
        Assert.True(second.GetProperty("blobs_read").GetInt64() < read / 2, second.ToString());

        // The same files backed up straight into the target find every chunk there: only trees (new access times) are added.
        var direct = JsonDocument.Parse((await _target.RunOkAsync("--json", "backup", data)).Output).RootElement;
        Assert.True(direct.GetProperty("summary").GetProperty("data_added").GetInt64() < 64 * 1024, direct.ToString());
        var restored = _target.PathOf("restored");
        await _target.RunOkAsync("restore", $"latest:{data}", "--target", restored, "--verify");
        TreeAssert.Same(data, restored, compareOwners: false);
        await _target.RunOkAsync("check", "--read-data");
    }

    [Fact]
    public async Task A_wrong_source_password_or_a_missing_source_fails_in_one_line()
    {
        await _source.InitAsync();
        await _target.InitAsync();
        File.WriteAllText(_source.PathOf("wrong"), "not it\n");
        var wrong = await _target.RunAsync("copy", "--from-repo", _source.Repo, "--from-password-file", _source.PathOf("wrong"));
        Assert.True(wrong.ExitCode == 12, wrong.ToString());
        var missing = await _target.RunAsync("copy", "--from-repo", _source.PathOf("nothing"), "--from-password-file", _source.PasswordFile);
        Assert.True(missing.ExitCode == 10, missing.ToString());
        var none = await _target.RunAsync("copy");
        Assert.True(none.ExitCode == 2, none.ToString());
        using var plain = new TestRepository();
        var leak = await plain.RunAsync("init", "--kdf-memory", "8192", "--no-encryption", "--copy-chunker-params", "--from-repo", _source.Repo, "--from-password-file", _source.PasswordFile);
        Assert.True(leak.ExitCode == 2 && leak.Error.Contains("ID keys readable", StringComparison.Ordinal), leak.ToString());
    }
}
