using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Cairn.Core.Platform;
using Cairn.Tests.Shared;

namespace Cairn.Cli.Tests;

/// <summary>
/// <c>cairn export</c> checked with the real GNU tar, zstd and gpg: every piece of metadata tar can carry comes
/// back, through the header's own restore command; volumes restore one by one; bad output fails cleanly.
/// </summary>
public sealed class ExportTests : IDisposable
{
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task The_full_metadata_tree_comes_back_through_dd_and_gnu_tar()
    {
        Assert.True(RichTree.IsRoot, "devices, trusted.* attributes and other users' ACLs need root");
        await _t.InitAsync();
        var source = _t.PathOf("src");
        await FullMetadataTree.BuildAsync(source);
        await _t.RunOkAsync("backup", source);
        var archive = _t.PathOf("export.tar");
        var run = await _t.RunOkAsync("export", $"latest:{source}", "--header", "--output", archive);
        Assert.Contains("exported", run.Output, StringComparison.Ordinal);
        // pax carries everything the tree has but its chattr flags, which no tar format holds.
        Assert.Equal("cairn: warning: the pax format cannot carry chattr flags: 2 entries lose it (first: ./attrs)", run.Error.Trim());

        var header = HeaderText(archive);
        Assert.StartsWith("# Cairn export archive", header, StringComparison.Ordinal);
        Assert.Contains(source, header, StringComparison.Ordinal);
        var target = _t.PathOf("out");
        Directory.CreateDirectory(target);
        await RunHeaderCommandAsync(header, archive, target);
        await FullMetadataTree.AssertSameAsync(source, target, compareFlags: false);
    }

    [Fact]
    public async Task Names_owners_and_nanosecond_times_come_back_through_gnu_tar()
    {
        await _t.InitAsync();
        var source = _t.PathOf("src");
        RichTree.Create(source, withHugeFile: false);
        await _t.RunOkAsync("backup", source);
        var target = _t.PathOf("out");
        Directory.CreateDirectory(target);
        // Standard output into tar, without a header.
        var (code, _, error) = await ShAsync($"dotnet {Quote(CairnDll)} -r {Quote(_t.RepoUrl)} --password-file {Quote(_t.PasswordFile)} --config {Quote(_t.ConfigFile)} export latest:{Quote(source)} | tar -xpf - --xattrs --xattrs-include='*' --acls -C {Quote(target)}");
        Assert.True(code == 0, error);
        TreeAssert.Same(source, target, compareOwners: RichTree.IsRoot, compareAtimes: false); // tar does not set access times
    }

    [Fact]
    public async Task A_zstd_compressed_gpg_encrypted_export_restores_with_the_header_s_command()
    {
        Assert.True(RichTree.IsRoot, "the full metadata tree needs root");
        await _t.InitAsync();
        var source = _t.PathOf("src");
        await FullMetadataTree.BuildAsync(source);
        await _t.RunOkAsync("backup", source);
        var home = _t.PathOf("gnupg");
        Directory.CreateDirectory(home);
        var (code, _, error) = await ShAsync($"chmod 700 {home} && gpg --homedir {home} --batch --passphrase '' --quick-gen-key export-test@cairn.invalid default default never");
        Assert.True(code == 0, error);
        var archive = _t.PathOf("export.tar.zst.gpg");
        await _t.RunOkAsync("export", $"latest:{source}", "--header", "--compress", "zstd", "--output", archive,
            "--filter", $"gpg --homedir {home} --batch --trust-model always --encrypt -r export-test@cairn.invalid",
            "--filter-restore", $"gpg --homedir {home} --batch --decrypt");

        var header = HeaderText(archive);
        Assert.Contains("zstd -d", header, StringComparison.Ordinal);
        Assert.Contains("--decrypt", header, StringComparison.Ordinal);
        var raw = File.ReadAllBytes(archive);
        Assert.DoesNotContain("farmed", Encoding.Latin1.GetString(raw, ExportHeaderSize, raw.Length - ExportHeaderSize), StringComparison.Ordinal);
        var target = _t.PathOf("out");
        Directory.CreateDirectory(target);
        await RunHeaderCommandAsync(header, archive, target);
        await FullMetadataTree.AssertSameAsync(source, target, compareFlags: false);
    }

    [Fact]
    public async Task Volumes_are_verified_and_each_restores_on_its_own_and_split_files_join_with_cat()
    {
        await _t.InitAsync();
        var source = _t.PathOf("src");
        Directory.CreateDirectory(source);
        var random = new Random(7);
        for (var i = 0; i < 40; i++)
        {
            var data = new byte[random.Next(10_000, 300_000)];
            random.NextBytes(data);
            File.WriteAllBytes(Path.Combine(source, $"file{i:00}"), data);
        }
        var big = new byte[5_000_000];
        random.NextBytes(big);
        File.WriteAllBytes(Path.Combine(source, "big.bin"), big);
        await _t.RunOkAsync("backup", source);
        var archive = _t.PathOf("vol.tar");
        var run = await _t.RunOkAsync("export", $"latest:{source}", "--header", "--volume-size", "2M", "--verify", "--output", archive, "--json");
        using var json = System.Text.Json.JsonDocument.Parse(run.Output);
        var volumes = json.RootElement.GetProperty("volumes").EnumerateArray().ToList();
        Assert.True(volumes.Count >= 4, run.Output);
        Assert.All(volumes, v => Assert.True(v.GetProperty("verified").GetBoolean()));
        Assert.Equal(1, json.RootElement.GetProperty("split_files").GetInt64());

        var all = _t.PathOf("all");
        Directory.CreateDirectory(all);
        foreach (var volume in volumes)
        {
            var path = volume.GetProperty("path").GetString()!;
            Assert.True(new FileInfo(path).Length <= 2 << 20, $"{path} is larger than the volume size");
            // Each volume on its own, into a directory of its own.
            var alone = _t.PathOf("alone-" + volume.GetProperty("number").GetInt32());
            Directory.CreateDirectory(alone);
            await RunHeaderCommandAsync(HeaderText(path), path, alone);
            Assert.NotEmpty(Directory.EnumerateFileSystemEntries(alone, "*", SearchOption.AllDirectories));
            await RunHeaderCommandAsync(HeaderText(path), path, all);
        }
        var (code, _, error) = await ShAsync($"cd {Quote(all)} && cat big.bin.cairn-part-* > big.bin && rm big.bin.cairn-part-*");
        Assert.True(code == 0, error);
        foreach (var file in Directory.EnumerateFiles(source))
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(all, Path.GetFileName(file)))), file);
        var manifest = File.ReadAllLines(archive + ".manifest");
        Assert.Contains(manifest, l => l.EndsWith("\tfile\t" + new FileInfo(Path.Combine(source, "file00")).Length + "\t./file00", StringComparison.Ordinal));
        Assert.True(manifest.Count(l => l.Contains("big.bin.cairn-part-", StringComparison.Ordinal)) >= 3);
    }

    [Fact]
    public async Task The_gnu_format_says_what_it_cannot_carry_and_zip_holds_content_and_modes()
    {
        await _t.InitAsync();
        var source = _t.PathOf("src");
        Directory.CreateDirectory(Path.Combine(source, "dir"));
        File.WriteAllText(Path.Combine(source, "dir", "a.txt"), "alpha");
        Posix.SetXattr(PathBytes.FromString(Path.Combine(source, "dir", "a.txt")), "user.note"u8, "n"u8);
        Posix.Chmod(PathBytes.FromString(Path.Combine(source, "dir", "a.txt")), 0x140);
        File.CreateSymbolicLink(Path.Combine(source, "link"), "dir/a.txt");
        await _t.RunOkAsync("backup", source);

        var gnu = _t.PathOf("gnu.tar");
        var run = await _t.RunOkAsync("export", $"latest:{source}", "--format", "gnu", "--output", gnu);
        Assert.Contains("cannot carry extended attributes", run.Error, StringComparison.Ordinal);
        var target = _t.PathOf("gnu-out");
        Directory.CreateDirectory(target);
        Assert.Equal(0, await Shell.RunAsync("tar", "-xpf", gnu, "-C", target));
        Assert.Equal("alpha", File.ReadAllText(Path.Combine(target, "dir", "a.txt")));
        Assert.Equal("dir/a.txt", new FileInfo(Path.Combine(target, "link")).LinkTarget);

        var zip = _t.PathOf("export.zip");
        await _t.RunOkAsync("export", $"latest:{source}", "--format", "zip", "--output", zip, "--quiet-metadata-warnings");
        using var archive = ZipFile.OpenRead(zip);
        var entry = archive.GetEntry("./dir/a.txt")!;
        using (var reader = new StreamReader(entry.Open()))
            Assert.Equal("alpha", await reader.ReadToEndAsync());
        Assert.Equal(0x8000 | 0x140, (entry.ExternalAttributes >> 16) & 0xFFFF);
        Assert.Equal(0xA000, (archive.GetEntry("./link")!.ExternalAttributes >> 16) & 0xF000);
    }

    [Fact]
    public async Task Sparse_files_long_names_and_links_come_back_from_the_old_gnu_format()
    {
        await _t.InitAsync();
        var source = _t.PathOf("src");
        Directory.CreateDirectory(source);
        const long MiB = 1 << 20;
        using (var h = File.OpenHandle(Path.Combine(source, "sparse"), FileMode.CreateNew, FileAccess.Write))
        {
            RandomAccess.SetLength(h, 40 * MiB);
            for (var i = 0; i < 7; i++) // more extents than the header's four: extension blocks
                RandomAccess.Write(h, Enumerable.Repeat((byte)(i + 1), 5000).ToArray(), i * 5 * MiB + 123);
        }
        using (var h = File.OpenHandle(Path.Combine(source, "all-hole"), FileMode.CreateNew, FileAccess.Write))
            RandomAccess.SetLength(h, 1L << 36);
        var deep = source;
        for (var i = 0; i < 6; i++)
            deep = Directory.CreateDirectory(Path.Combine(deep, $"level{i}-" + new string('x', 60))).FullName;
        File.WriteAllText(Path.Combine(deep, "bottom.txt"), "deep");
        Posix.Link(PathBytes.FromString(Path.Combine(deep, "bottom.txt")), PathBytes.FromString(Path.Combine(source, "linked")));
        File.CreateSymbolicLink(Path.Combine(source, "long-link"), Path.GetRelativePath(source, Path.Combine(deep, "bottom.txt")));
        await _t.RunOkAsync("backup", source);

        var archive = _t.PathOf("gnu.tar");
        await _t.RunOkAsync("export", $"latest:{source}", "--format", "gnu", "--output", archive);
        Assert.True(new FileInfo(archive).Length < 2 * MiB, "holes are not stored");
        var target = _t.PathOf("out");
        Directory.CreateDirectory(target);
        Assert.Equal(0, await Shell.RunAsync("tar", "-xpf", archive, "-C", target));
        foreach (var name in new[] { "sparse", "all-hole" })
            Assert.Equal(await SystemTools.DataMapAsync(Path.Combine(source, name)), await SystemTools.DataMapAsync(Path.Combine(target, name)));
        Assert.True(File.ReadAllBytes(Path.Combine(source, "sparse")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(target, "sparse"))));
        Assert.Equal(1L << 36, new FileInfo(Path.Combine(target, "all-hole")).Length);
        var bottom = Path.Combine(target, Path.GetRelativePath(source, deep), "bottom.txt");
        Assert.Equal("deep", File.ReadAllText(bottom));
        Assert.Equal(Posix.Lstat(PathBytes.FromString(bottom)).Inode, Posix.Lstat(PathBytes.FromString(Path.Combine(target, "linked"))).Inode);
        Assert.Equal("deep", File.ReadAllText(Path.Combine(target, "long-link")));
    }

    [Fact]
    public async Task A_full_target_or_a_failing_filter_fails_with_one_line_and_leaves_no_archive()
    {
        Assert.True(RichTree.IsRoot, "mounting a small filesystem needs root");
        await _t.InitAsync();
        var source = _t.PathOf("src");
        Directory.CreateDirectory(source);
        var data = new byte[12_000_000];
        new Random(3).NextBytes(data);
        File.WriteAllBytes(Path.Combine(source, "big.bin"), data);
        await _t.RunOkAsync("backup", source);

        var mount = _t.PathOf("small");
        Directory.CreateDirectory(mount);
        Assert.Equal(0, await Shell.RunAsync("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount));
        try
        {
            var full = await _t.RunAsync("export", $"latest:{source}", "--output", Path.Combine(mount, "x.tar"));
            Assert.True(full.ExitCode == 13, full.ToString());
            Assert.Single(full.Error.Trim().Split('\n'));
            Assert.Empty(Directory.EnumerateFileSystemEntries(mount));
        }
        finally
        {
            await Mounts.UnmountAsync(mount);
        }

        var filtered = _t.PathOf("filtered.tar");
        var failing = await _t.RunAsync("export", $"latest:{source}", "--output", filtered, "--filter", "head -c 1000; exit 3", "--filter-restore", "cat");
        Assert.True(failing.ExitCode != 0, failing.ToString());
        Assert.Contains("filter", failing.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(filtered));

        var unknown = await _t.RunAsync("export", "latest", "--output", filtered, "--filter", "my-crypt --key k");
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("--filter-restore", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_export_to_a_character_device_writes_whole_blocks()
    {
        await _t.InitAsync();
        var source = _t.PathOf("src");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "a"), "a");
        await _t.RunOkAsync("backup", source);
        var run = await _t.RunOkAsync("export", "latest", "--output", "/dev/null", "--block-size", "32K", "--header");
        Assert.Contains("/dev/null", run.Output, StringComparison.Ordinal);
    }

    private const int ExportHeaderSize = 32 * 1024;

    private static string CairnDll => Path.Combine(AppContext.BaseDirectory, "cairn.dll");

    private static string HeaderText(string archive)
    {
        var bytes = new byte[ExportHeaderSize];
        using (var file = File.OpenRead(archive))
            file.ReadExactly(bytes);
        return Encoding.UTF8.GetString(bytes).TrimEnd('\0');
    }

    /// <summary>Runs the restore command the header gives, on <paramref name="archive"/>, in <paramref name="target"/>.</summary>
    private static async Task RunHeaderCommandAsync(string header, string archive, string target)
    {
        var line = header.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("dd if=ARCHIVE bs=32k skip=1", StringComparison.Ordinal));
        var (code, _, error) = await ShAsync($"cd {Quote(target)} && set -o pipefail && " + line.Replace("ARCHIVE", Quote(archive), StringComparison.Ordinal).Replace("dd ", "dd status=none ", StringComparison.Ordinal));
        Assert.True(code == 0, $"{line}: {error}");
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static async Task<(int Code, string Output, string Error)> ShAsync(string script)
    {
        var psi = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
