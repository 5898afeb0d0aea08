using Cairn.Tests.Shared;

namespace Cairn.Cli.Tests;

/// <summary>Wrong passwords, missing repositories, damaged files, unreadable sources, full disks: a clear line, the documented exit code, nothing lost.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TestRepository _t = new();

    private async Task<string> BackUpSmallTreeAsync()
    {
        var source = _t.PathOf("source");
        Directory.CreateDirectory(Path.Combine(source, "keep"));
        Directory.CreateDirectory(Path.Combine(source, "lose"));
        var random = new Random(7);
        var keep = new byte[3_000_000];
        var lose = new byte[3_000_000];
        random.NextBytes(keep);
        random.NextBytes(lose);
        File.WriteAllBytes(Path.Combine(source, "keep", "keep.bin"), keep);
        File.WriteAllBytes(Path.Combine(source, "lose", "lose.bin"), lose);
        await _t.InitAsync();
        // Tiny packs so that the two files land in different packs.
        var run = await _t.RunAsync("backup", "--compression", "off", Path.Combine(source, "keep"));
        Assert.Equal(0, run.ExitCode);
        run = await _t.RunAsync("backup", "--compression", "off", source);
        Assert.Equal(0, run.ExitCode);
        return source;
    }

    [Fact]
    public async Task WrongPasswordExits12AndLeavesRepositoryUntouched()
    {
        await BackUpSmallTreeAsync();
        var before = RepositoryFiles.Fingerprint(_t.Repo);
        File.WriteAllText(_t.PasswordFile, "wrong\n");
        foreach (var command in new[] { new[] { "snapshots" }, ["backup", _t.PathOf("source")], ["check"], ["restore", "latest", "--target", _t.PathOf("x")] })
        {
            var run = await _t.RunAsync(command);
            Assert.True(run.ExitCode == 12, run.ToString());
            Assert.Contains("wrong password", run.Error, StringComparison.Ordinal);
            Assert.Single(run.Error.Trim().Split('\n'));
        }
        Assert.Equal(before, RepositoryFiles.Fingerprint(_t.Repo));
    }

    [Fact]
    public async Task MissingOrNonRepositoryPathExits10()
    {
        var run = await _t.RunAsync("snapshots");
        Assert.True(run.ExitCode == 10, run.ToString());
        Assert.Contains("not a Cairn repository", run.Error, StringComparison.Ordinal);
        Directory.CreateDirectory(_t.Repo);
        File.WriteAllText(Path.Combine(_t.Repo, "something"), "not a repository");
        run = await _t.RunAsync("backup", _t.Root);
        Assert.True(run.ExitCode == 10, run.ToString());
        Assert.False(Directory.Exists(Path.Combine(_t.Repo, "data")));
    }

    [Fact]
    public async Task FlippedBitInAnyPackIsFoundByCheckReadDataWhichNamesPackAndFiles()
    {
        var source = await BackUpSmallTreeAsync();
        var clean = await _t.RunAsync("check", "--read-data");
        Assert.True(clean.ExitCode == 0, clean.ToString());
        var packs = RepositoryFiles.Packs(_t.Repo);
        Assert.True(packs.Count >= 3, $"{packs.Count} packs");
        foreach (var pack in packs)
        {
            var original = File.ReadAllBytes(pack);
            RepositoryFiles.FlipBit(pack, new Random(pack.Length).NextInt64(original.Length), 3);
            var run = await _t.RunAsync("check", "--read-data");
            Assert.True(run.ExitCode == 4, run.ToString());
            Assert.Contains(RepositoryFiles.RelativeName(_t.Repo, pack), run.Output, StringComparison.Ordinal);
            File.WriteAllBytes(pack, original);
        }
        Assert.Equal(0, (await _t.RunAsync("check", "--read-data")).ExitCode);

        // Damage the pack that holds lose.bin's data: check names the file, and everything else still restores.
        var losePack = await PackHoldingAsync(Path.Combine(source, "lose", "lose.bin"));
        RepositoryFiles.FlipBit(losePack, 100);
        var check = await _t.RunAsync("check", "--read-data");
        Assert.Equal(4, check.ExitCode);
        Assert.Contains("lose/lose.bin", check.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("keep/keep.bin", check.Output, StringComparison.Ordinal);
        var target = _t.PathOf("restored");
        var restore = await _t.RunAsync("restore", $"latest:{source}", "--target", target);
        Assert.True(restore.ExitCode == 4, restore.ToString());
        Assert.Contains("lose.bin", restore.Error, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(source, "keep", "keep.bin")), File.ReadAllBytes(Path.Combine(target, "keep", "keep.bin")));
    }

    [Fact]
    public async Task A_pack_truncated_in_the_middle_restores_the_files_before_the_cut()
    {
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        var data = new byte[400 << 10]; // under the smallest chunk: one blob each, read together in one run
        for (var i = 0; i < 9; i++)
        {
            new Random(i).NextBytes(data);
            File.WriteAllBytes(Path.Combine(source, $"file{i}"), data);
        }
        await _t.InitAsync();
        await _t.RunOkAsync("backup", source);
        var pack = RepositoryFiles.Packs(_t.Repo).MaxBy(p => new FileInfo(p).Length)!;
        RepositoryFiles.Truncate(pack, new FileInfo(pack).Length / 2);

        var target = _t.PathOf("restored");
        var restore = await _t.RunAsync("restore", $"latest:{source}", "--target", target, "--verify");

        Assert.True(restore.ExitCode == 4, restore.ToString());
        var intact = Enumerable.Range(0, 9).Count(i => File.Exists(Path.Combine(target, $"file{i}"))
            && File.ReadAllBytes(Path.Combine(target, $"file{i}")).SequenceEqual(File.ReadAllBytes(Path.Combine(source, $"file{i}"))));
        Assert.True(intact >= 3, $"{intact} of 9 files restored intact; the first half of the pack holds about four");
        Assert.Contains($"{9 - intact} entries were not restored correctly", restore.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedPackIndexAndSnapshotAreNamedByCheck()
    {
        await BackUpSmallTreeAsync();
        var pack = RepositoryFiles.Packs(_t.Repo)[0];
        RepositoryFiles.Truncate(pack, new FileInfo(pack).Length / 2);
        var run = await _t.RunAsync("check");
        Assert.True(run.ExitCode == 4, run.ToString());
        Assert.Contains(RepositoryFiles.RelativeName(_t.Repo, pack), run.Output, StringComparison.Ordinal);
        Assert.Contains("affected: snapshot", run.Output, StringComparison.Ordinal);

        var index = Directory.GetFiles(Path.Combine(_t.Repo, "index"))[0];
        RepositoryFiles.FlipBit(index, new FileInfo(index).Length - 3);
        run = await _t.RunAsync("check");
        Assert.Equal(4, run.ExitCode);
        Assert.Contains(RepositoryFiles.RelativeName(_t.Repo, index), run.Output, StringComparison.Ordinal);

        var snapshot = Directory.GetFiles(Path.Combine(_t.Repo, "snapshots"))[0];
        RepositoryFiles.FlipBit(snapshot, 40);
        run = await _t.RunAsync("check");
        Assert.Equal(4, run.ExitCode);
        Assert.Contains(RepositoryFiles.RelativeName(_t.Repo, snapshot), run.Output, StringComparison.Ordinal);
        var list = await _t.RunAsync("snapshots");
        Assert.Equal(4, list.ExitCode);
        Assert.Contains("1 snapshots", list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreadableSourceFileIsReportedAndBackupGoesOnWithExit3()
    {
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "readable.txt"), "fine");
        File.WriteAllText(Path.Combine(source, "secret.txt"), "no");
        Cairn.Core.Platform.Posix.Chmod(RichTree.Bytes(Path.Combine(source, "secret.txt")), 0);
        await _t.InitAsync();
        string? user = null;
        if (RichTree.IsRoot)
        {
            // Root reads everything: run the real executable as 'nobody' so that permissions apply.
            user = "65534";
            foreach (var dir in new[] { _t.Root, source })
                Cairn.Core.Platform.Posix.Chmod(RichTree.Bytes(dir), 0x1FF);
            Cairn.Core.Platform.Posix.Chmod(RichTree.Bytes(_t.PasswordFile), 0x1A4);
            await ChownTreeAsync(_t.Repo, 65534);
        }
        var run = await _t.RunProcessAsync(["backup", source], user);
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("secret.txt", run.Error, StringComparison.Ordinal);
        Assert.Contains("permission denied", run.Error, StringComparison.Ordinal);
        var ls = await _t.RunAsync("ls", "latest", source);
        Assert.Contains("readable.txt", ls.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("secret.txt", ls.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FilesVanishingDuringTheWalkAreReportedWithExit3()
    {
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        var data = new byte[200_000];
        var random = new Random(5);
        for (var i = 0; i < 2000; i++)
        {
            random.NextBytes(data);
            File.WriteAllBytes(Path.Combine(source, $"f{i:0000}.bin"), data);
        }
        await _t.InitAsync();
        using var process = _t.Start(["backup", "--compression", "off", source]);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        // Once the first pack is written the directory has been listed: delete what the walk has not reached.
        await Shell.WaitForPacksAsync(process, _t.Repo, 1);
        for (var i = 1999; i >= 1000; i--)
            File.Delete(Path.Combine(source, $"f{i:0000}.bin"));
        await process.WaitForExitAsync();
        var run = new CairnRun(process.ExitCode, await stdout, await stderr);
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("vanished", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await _t.RunAsync("check", "--read-data")).ExitCode);
        var ls = await _t.RunAsync("ls", "latest", source);
        Assert.Contains("f0000.bin", ls.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FullTargetDiskWhileFillingHolesExits13WithOneLine()
    {
        if (!RichTree.IsRoot)
            return; // mounting a small filesystem needs root; CI runs as root
        // 1 MiB of data, then a 31 MiB hole: the data fits the target, the zeros --no-sparse writes for the hole do not.
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        var data = new byte[1 << 20];
        new Random(5).NextBytes(data);
        using (var file = File.OpenHandle(Path.Combine(source, "sparse.img"), FileMode.CreateNew, FileAccess.Write))
        {
            RandomAccess.Write(file, data, 0);
            RandomAccess.SetLength(file, 32 << 20);
        }
        await BackUpAndRestoreOntoFullDiskAsync(source, "--no-sparse");
    }

    [Fact]
    public async Task FullTargetDiskDuringRestoreExits13WithOneLine()
    {
        if (!RichTree.IsRoot)
            return; // mounting a small filesystem needs root; CI runs as root
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        var data = new byte[12_000_000];
        new Random(3).NextBytes(data);
        File.WriteAllBytes(Path.Combine(source, "big.bin"), data);
        await BackUpAndRestoreOntoFullDiskAsync(source);
    }

    /// <summary>Backs <paramref name="source"/> up, restores it onto a 4 MiB tmpfs: exit 13, one line that says the target is full, the repository intact.</summary>
    private async Task BackUpAndRestoreOntoFullDiskAsync(string source, params string[] restoreOptions)
    {
        await _t.InitAsync();
        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);
        var mount = _t.PathOf("small");
        Directory.CreateDirectory(mount);
        Assert.Equal(0, await Shell.RunAsync("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount));
        try
        {
            var run = await _t.RunAsync(["restore", $"latest:{source}", "--target", Path.Combine(mount, "out"), .. restoreOptions]);
            Assert.True(run.ExitCode == 13, run.ToString());
            Assert.Contains("full", run.Error, StringComparison.Ordinal);
            Assert.Single(run.Error.Trim().Split('\n'));
        }
        finally
        {
            await Mounts.UnmountAsync(mount);
        }
        Assert.Equal(0, (await _t.RunAsync("check", "--read-data")).ExitCode);
    }

    [Fact]
    public async Task FullRepositoryDiskDuringBackupExits13WithOneLineAndKeepsWhatWasStored()
    {
        if (!RichTree.IsRoot)
            return; // mounting a small filesystem needs root; CI runs as root
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "small.txt"), "kept");
        var repositoryDisk = _t.PathOf("repository-disk");
        Directory.CreateDirectory(repositoryDisk);
        Assert.Equal(0, await Shell.RunAsync("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", repositoryDisk));
        try
        {
            _t.RepoUrl = Path.Combine(repositoryDisk, "repo");
            await _t.InitAsync();
            Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);
            var data = new byte[12_000_000];
            new Random(4).NextBytes(data);
            File.WriteAllBytes(Path.Combine(source, "big.bin"), data);

            var run = await _t.RunAsync("backup", source);

            Assert.True(run.ExitCode == 13, run.ToString());
            Assert.Contains("no space left on device", run.Error, StringComparison.Ordinal);
            Assert.Single(run.Error.Trim().Split('\n'));
            Assert.Empty(Directory.GetFiles(repositoryDisk, ".tmp-*", SearchOption.AllDirectories));
            File.Delete(Path.Combine(source, "big.bin"));
            Assert.Equal(0, (await _t.RunAsync("check", "--read-data")).ExitCode);
            var restored = _t.PathOf("restored");
            Assert.Equal(0, (await _t.RunAsync("restore", $"latest:{source}", "--target", restored)).ExitCode);
            Assert.Equal("kept", File.ReadAllText(Path.Combine(restored, "small.txt")));
        }
        finally
        {
            await Mounts.UnmountAsync(repositoryDisk);
        }
    }

    [Fact]
    public async Task FullSpoolDiskDuringBackupExits13WithOneLineNamingTmpdirAndKeepsWhatWasStored()
    {
        if (!RichTree.IsRoot)
            return; // mounting a small filesystem needs root; CI runs as root
        // --verify-after-write makes even a local repository take whole objects, so packs are spooled in TMPDIR
        // as they are for SFTP, S3 and a Cairn server.
        await _t.InitAsync();
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "small.txt"), "kept");
        Assert.Equal(0, (await _t.RunAsync("--verify-after-write", "backup", source)).ExitCode);
        var data = new byte[12_000_000];
        new Random(5).NextBytes(data);
        File.WriteAllBytes(Path.Combine(source, "big.bin"), data);
        await RunWithSmallTmpdirAsync("4m", "no space left on device", "--verify-after-write", "backup", source);
        Assert.Empty(Directory.GetFiles(_t.Repo, ".tmp-*", SearchOption.AllDirectories));
        File.Delete(Path.Combine(source, "big.bin"));
        Assert.Equal(0, (await _t.RunAsync("check", "--read-data")).ExitCode);
        var restored = _t.PathOf("restored");
        Assert.Equal(0, (await _t.RunAsync("restore", $"latest:{source}", "--target", restored)).ExitCode);
        Assert.Equal("kept", File.ReadAllText(Path.Combine(restored, "small.txt")));
    }

    [Theory]
    [InlineData("64k")] // too small for the first MiB
    [InlineData("1100k")] // takes the first MiB, fills up later with writes still buffered
    public async Task FullTmpdirDuringRestoreOfManyDirectoriesExits13WithOneLineNamingTmpdir(string tmpSize)
    {
        if (!RichTree.IsRoot)
            return; // mounting a small filesystem needs root; CI runs as root
        // More directories than a restore keeps in memory for the end (1 MiB of them, ~1.7 MiB in all): the rest go
        // to TMPDIR.
        await _t.InitAsync();
        var source = _t.PathOf("source");
        for (var i = 0; i < 12_000; i++)
            Directory.CreateDirectory(Path.Combine(source, $"group-{i / 100:D3}", $"directory-{i:D5}"));
        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);
        await RunWithSmallTmpdirAsync(tmpSize, "is full", "restore", $"latest:{source}", "--target", _t.PathOf("restored"));
        Assert.Equal(0, (await _t.RunAsync("check")).ExitCode);
        var restored = _t.PathOf("restored-with-room");
        Assert.Equal(0, (await _t.RunAsync("restore", $"latest:{source}", "--target", restored)).ExitCode);
        Assert.Equal(12_000, Directory.GetDirectories(restored, "directory-*", SearchOption.AllDirectories).Length);
    }

    /// <summary>
    /// Runs cairn with <paramref name="args"/> and TMPDIR on a tmpfs of <paramref name="size"/>, which it fills: exit 13,
    /// one line that says so (<paramref name="full"/>) and that TMPDIR chose the directory, nothing left in it.
    /// </summary>
    private async Task RunWithSmallTmpdirAsync(string size, string full, params string[] args)
    {
        var tmp = _t.PathOf("small-tmp");
        Directory.CreateDirectory(tmp);
        Assert.Equal(0, await Shell.RunAsync("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", tmp));
        try
        {
            var run = await _t.RunProcessAsync(args, environment: new Dictionary<string, string> { ["TMPDIR"] = tmp });

            Assert.True(run.ExitCode == 13, run.ToString());
            Assert.Contains(full, run.Error, StringComparison.Ordinal);
            Assert.Contains("(set by TMPDIR)", run.Error, StringComparison.Ordinal);
            Assert.Single(run.Error.Trim().Split('\n'));
            Assert.Empty(Directory.GetFileSystemEntries(tmp));
        }
        finally
        {
            await Mounts.UnmountAsync(tmp);
        }
    }

    private static async Task ChownTreeAsync(string path, int id) => Assert.Equal(0, await Shell.RunAsync("chown", "-R", $"{id}:{id}", path));


    private async Task<string> PackHoldingAsync(string file)
    {
        var ls = await _t.RunAsync("ls", "--json", "latest", file);
        Assert.Equal(0, ls.ExitCode);
        var snapshots = System.Text.Json.JsonDocument.Parse((await _t.RunAsync("snapshots", "--json")).Output).RootElement;
        var snapshot = snapshots[snapshots.GetArrayLength() - 1];
        var tree = snapshot.GetProperty("tree").GetString()!;
        // Walk the trees with 'cat tree' to the file's first blob, then find the pack whose header lists it.
        var parts = file.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string? blob = null;
        foreach (var part in parts)
        {
            var nodes = System.Text.Json.JsonDocument.Parse((await _t.RunAsync("cat", "tree", tree)).Output).RootElement;
            var node = nodes.EnumerateArray().First(n => n.GetProperty("name").GetString() == part);
            if (node.TryGetProperty("subtree", out var sub) && sub.ValueKind == System.Text.Json.JsonValueKind.String)
                tree = sub.GetString()!;
            else
                blob = node.GetProperty("content")[0].GetString();
        }
        Assert.NotNull(blob);
        foreach (var pack in RepositoryFiles.Packs(_t.Repo))
        {
            var header = await _t.RunAsync("cat", "pack", Path.GetFileName(pack));
            if (header.Output.Contains(blob!, StringComparison.Ordinal))
                return pack;
        }
        throw new Xunit.Sdk.XunitException("no pack holds the blob");
    }

    public void Dispose() => _t.Dispose();
}
