using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Cairn.Core.Archive;
using Cairn.Core.Platform;

namespace Cairn.Cli.Tests;

/// <summary>
/// <c>cairn import</c> of archives the real GNU tar makes: a posix archive of the tree with every kind of metadata
/// restores identically, a GNU-format one restores all that format carries; gzip, zstd, standard input and a Cairn
/// export's header; names that are not UTF-8, deep paths, nanosecond and pre-1970 times. A cut-short or damaged
/// archive exits 2 and makes no snapshot.
/// </summary>
public sealed class ImportTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private static readonly string[] PaxOptions = ["--xattrs", "--xattrs-include=*", "--acls", "--sparse", "--format=posix"];

    private readonly TestRepository _t = new();
    private readonly string _user = "cairn-i" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose()
    {
        // The ACL test's user: gone already unless it failed early; the exit codes do not matter.
        Shell.RunAsync("userdel", _user).GetAwaiter().GetResult();
        Shell.RunAsync("groupdel", _user).GetAwaiter().GetResult();
        _t.Dispose();
    }

    [Fact]
    public async Task A_posix_archive_made_by_tar_restores_identically()
    {
        Assert.True(RichTree.IsRoot, "devices, trusted.* attributes and ACLs for other users need root");
        await _t.InitAsync();
        var source = _t.PathOf("src");
        await FullMetadataTree.BuildAsync(source);
        var archive = _t.PathOf("a.tar");
        await TarAsync(source, archive, PaxOptions);

        var import = await _t.RunAsync("import", archive);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("snapshot ", import.Output, StringComparison.Ordinal);
        var target = await RestoreAsync(source);
        await FullMetadataTree.AssertSameAsync(source, target, compareFlags: false);
    }

    [Fact]
    public async Task A_cairn_export_with_header_and_zstd_imports_into_another_repository_identically()
    {
        Assert.True(RichTree.IsRoot, "devices, trusted.* attributes and ACLs for other users need root");
        await _t.InitAsync();
        var source = _t.PathOf("src");
        await FullMetadataTree.BuildAsync(source);
        await _t.RunOkAsync("backup", source);
        var archive = _t.PathOf("export.tar.zst");
        await _t.RunOkAsync("export", $"latest:{source}", "--header", "--compress", "zstd", "--output", archive, "--quiet-metadata-warnings");

        using var other = new TestRepository();
        await other.InitAsync();
        await other.RunOkAsync("import", archive);
        var target = other.PathOf("out");
        Posix.Mkdir(PathBytes.FromString(target), 0x1C0);
        Posix.Chmod(PathBytes.FromString(target), Posix.Lstat(PathBytes.FromString(source)).Mode);
        await other.RunOkAsync("restore", "latest", "--target", target);
        await FullMetadataTree.AssertSameAsync(source, target, compareFlags: false);
    }

    [Fact]
    public async Task A_gnu_archive_restores_everything_the_gnu_format_carries()
    {
        Assert.True(RichTree.IsRoot, "devices need root");
        await _t.InitAsync();
        var source = _t.PathOf("src");
        await FullMetadataTree.BuildAsync(source);
        var archive = _t.PathOf("g.tar");
        await TarAsync(source, archive, ["--sparse", "--format=gnu"]);

        await _t.RunOkAsync("import", archive);
        var target = await RestoreAsync(source);
        await AssertSameAsGnuFormatCarriesAsync(source, target);
    }

    [Theory]
    [InlineData("zstd", false, false)]
    [InlineData("gzip", true, false)]
    [InlineData("zstd", true, true)]
    public async Task Compressed_archives_from_a_file_or_standard_input_import_the_same(string compressor, bool viaStdin, bool exportHeader)
    {
        await _t.InitAsync();
        var source = _t.PathOf("src");
        await FullMetadataTree.BuildAsync(source);
        // tar | compressor, as a user would pipe it; with a Cairn export's text block in front when asked.
        var producer = Process.Start(new ProcessStartInfo("sh")
        {
            ArgumentList = { "-c", $"tar -C \"$1\" {string.Join(' ', PaxOptions.Select(o => $"'{o}'"))} -cf - . | {compressor} -c", "sh", source },
            RedirectStandardOutput = true,
        })!;
        var header = exportHeader ? ExportHeader() : [];
        if (viaStdin)
        {
            using var cairn = _t.Start(["import", "--json", "-"], redirectInput: true);
            var stdout = cairn.StandardOutput.ReadToEndAsync();
            var stderr = cairn.StandardError.ReadToEndAsync();
            await cairn.StandardInput.BaseStream.WriteAsync(header);
            await producer.StandardOutput.BaseStream.CopyToAsync(cairn.StandardInput.BaseStream);
            cairn.StandardInput.Close();
            await cairn.WaitForExitAsync();
            Assert.True(cairn.ExitCode == 0, await stderr);
            var result = JsonDocument.Parse(await stdout).RootElement;
            Assert.Equal(compressor, result.GetProperty("compression").GetString());
            Assert.Equal(exportHeader, result.GetProperty("export_header").GetBoolean());
        }
        else
        {
            var archive = _t.PathOf("a.tar." + compressor);
            await using (var file = File.Create(archive))
            {
                await file.WriteAsync(header);
                await producer.StandardOutput.BaseStream.CopyToAsync(file);
            }
            await _t.RunOkAsync("import", archive);
        }
        await producer.WaitForExitAsync();
        Assert.Equal(0, producer.ExitCode);

        var target = await RestoreAsync(source);
        await FullMetadataTree.AssertSameAsync(source, target, compareFlags: false);
    }

    [Fact]
    public async Task A_rich_tree_comes_back_through_a_posix_archive()
    {
        await _t.InitAsync();
        var source = _t.PathOf("rich");
        RichTree.Create(source, withHugeFile: false);
        var archive = _t.PathOf("rich.tar");
        // tar records a symlink's status before reading it, and reading a link moves its atime under relatime when
        // that is not later than its mtime and ctime or more than a day old: give the links atimes in the future
        // (as RichTree does for "link"). Files are read with O_NOATIME.
        foreach (var link in new[] { "dangling", "link-bad-utf8" })
        {
            var path = PathBytes.FromString(Path.Combine(source, link));
            Posix.SetTimes(path, new PosixTime(4_000_000_100, 7), new PosixTime(1_700_000_000, 3));
        }
        await TarAsync(source, archive, ["--format=posix", "--atime-preserve=system"]);

        await _t.RunOkAsync("import", archive);
        var target = await RestoreAsync(source);
        Assert.True(TreeAssert.Same(source, target, compareOwners: true) > 40);
    }

    [Fact]
    public async Task The_snapshot_records_host_tags_time_and_the_top_level_names()
    {
        await _t.InitAsync();
        var source = _t.PathOf("src");
        Directory.CreateDirectory(Path.Combine(source, "etc", "app"));
        File.WriteAllText(Path.Combine(source, "etc", "app", "app.conf"), "x = 1\n");
        File.WriteAllText(Path.Combine(source, "notes.txt"), "notes");
        var archive = _t.PathOf("small.tar");
        // Member names as given, "./" and "/" prefixes included; the directory etc is implied by etc/app only.
        Assert.Equal(0, await Shell.RunAsync("tar", "-C", source, "--format=posix", "-P", "--transform=s,^etc,/etc,", "-cf", archive, "./notes.txt", "etc/app"));

        var run = await _t.RunOkAsync("--json", "import", "--host", "imported-host", "--tag", "from-tar", "--tag", "t2", "--time", "2020-02-03T04:05:06Z", archive);
        var result = JsonDocument.Parse(run.Output).RootElement;
        Assert.Equal(2, result.GetProperty("summary").GetProperty("files_new").GetInt64());
        Assert.Equal("none", result.GetProperty("compression").GetString());
        var snapshot = JsonDocument.Parse((await _t.RunOkAsync("--json", "snapshots")).Output).RootElement.EnumerateArray().Single();
        Assert.Equal("imported-host", snapshot.GetProperty("host").GetString());
        Assert.Equal(["from-tar", "t2"], snapshot.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["/etc", "/notes.txt"], snapshot.GetProperty("paths").EnumerateArray().Select(t => t.GetString()));
        Assert.StartsWith("2020-02-03T04:05:06", snapshot.GetProperty("time").GetString(), StringComparison.Ordinal);

        var target = _t.PathOf("out");
        await _t.RunOkAsync("restore", "latest", "--target", target);
        Assert.Equal("x = 1\n", File.ReadAllText(Path.Combine(target, "etc", "app", "app.conf")));
        var implied = Posix.Lstat(PathBytes.FromString(Path.Combine(target, "etc")));
        Assert.Equal((0x1EDu, 0u, 0u), (implied.Mode, implied.Uid, implied.Gid)); // not in the archive: 0755, root

        var help = await _t.RunAsync("import", "--help");
        Assert.Contains("Example:", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cut_short_or_damaged_archive_exits_2_and_makes_no_snapshot()
    {
        await _t.InitAsync();
        var source = _t.PathOf("src");
        Directory.CreateDirectory(source);
        var content = new byte[3 * MiB];
        new Random(11).NextBytes(content);
        File.WriteAllBytes(Path.Combine(source, "big"), content);
        File.WriteAllText(Path.Combine(source, "small"), "small");
        var archive = _t.PathOf("a.tar");
        await TarAsync(source, archive, ["--format=posix", "--sort=name"]);
        var bytes = File.ReadAllBytes(archive);

        var cut = _t.PathOf("cut.tar");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 3)]);
        var run = await _t.RunAsync("import", cut);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("cairn: the archive is cut short: it ends inside the data of ./big", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Trim().Split('\n'));

        var damaged = _t.PathOf("damaged.tar");
        var small = Encoding.Latin1.GetString(bytes).IndexOf("./small", StringComparison.Ordinal);
        bytes[small / 512 * 512 + 100] ^= 1; // small's header (or its PAX header): a wrong checksum
        File.WriteAllBytes(damaged, bytes);
        run = await _t.RunAsync("import", damaged);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("wrong checksum", run.Error, StringComparison.Ordinal);

        Assert.Equal("[]", (await _t.RunOkAsync("--json", "snapshots")).Output.Trim());
        Assert.Equal(2, (await _t.RunAsync("import", _t.PathOf("no-such.tar"))).ExitCode);
    }

    [Fact]
    public async Task Entries_that_cannot_be_imported_are_left_out_with_a_warning_and_exit_3()
    {
        await _t.InitAsync();
        var source = _t.PathOf("src");
        Directory.CreateDirectory(Path.Combine(source, "sub"));
        File.WriteAllText(Path.Combine(source, "sub", "first"), "linked");
        Posix.Link(PathBytes.FromString(Path.Combine(source, "sub", "first")), PathBytes.FromString(Path.Combine(source, "sub", "second")));
        File.WriteAllText(Path.Combine(source, "outside"), "outside");
        File.WriteAllText(Path.Combine(source, "sub", "kept"), "kept");
        var archive = _t.PathOf("odd.tar");
        // "../outside" kept as it is (-P), and the hard link's target deleted from the archive after it was made.
        Assert.Equal(0, await Shell.RunAsync("tar", "-C", Path.Combine(source, "sub"), "-P", "--format=posix", "-cf", archive, "first", "second", "../outside", "kept"));
        Assert.Equal(0, await Shell.RunAsync("tar", "--delete", "-f", archive, "first"));

        var run = await _t.RunAsync("import", archive);
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("warning: second: hard link to 'first', which is no earlier non-directory entry of the archive: not imported", run.Error, StringComparison.Ordinal);
        Assert.Contains("warning: ../outside: a name with a '..' component is not imported", run.Error, StringComparison.Ordinal);
        Assert.Contains("cairn: 2 entries of the archive were not imported", run.Error, StringComparison.Ordinal);
        var target = _t.PathOf("out");
        await _t.RunOkAsync("restore", "latest", "--target", target);
        Assert.Equal(["kept"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));
    }

    [Fact]
    public async Task An_acl_naming_a_user_this_machine_lacks_is_left_out_with_a_warning_and_exit_3()
    {
        Assert.True(RichTree.IsRoot, "this test creates a user");
        Assert.Equal(0, await Shell.RunAsync("useradd", "--no-create-home", "--user-group", _user));
        await _t.InitAsync();
        var source = _t.PathOf("src");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "shared"), "shared");
        File.WriteAllText(Path.Combine(source, "plain"), "plain");
        Assert.Equal(0, await Shell.RunAsync("setfacl", "-m", $"u:{_user}:rw,u:1234:r", Path.Combine(source, "shared")));
        var archive = _t.PathOf("acl.tar");
        await TarAsync(source, archive, ["--acls", "--format=posix"]); // the text form only, with the user's name
        Assert.Equal(0, await Shell.RunAsync("userdel", _user)); // as on a machine without that user

        var run = await _t.RunAsync("import", archive);
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains($"warning: ./shared: ACL not imported: the ACL names user '{_user}', which does not exist on this machine", run.Error, StringComparison.Ordinal);
        Assert.Contains("cairn: 1 entries were imported without some of the metadata", run.Error, StringComparison.Ordinal);
        var target = _t.PathOf("out");
        await _t.RunOkAsync("restore", "latest", "--target", target);
        Assert.Equal("shared", File.ReadAllText(Path.Combine(target, "shared")));
        Assert.Null(Posix.GetXattr(PathBytes.FromString(Path.Combine(target, "shared")), "system.posix_acl_access"u8));
    }

    /// <summary>
    /// Restores the latest snapshot into a new directory with the source's mode: an archive's top directory
    /// ("./") is no entry of the snapshot, whose root keeps no metadata, so the target's own mode is the caller's.
    /// </summary>
    private async Task<string> RestoreAsync(string source)
    {
        var target = _t.PathOf("out");
        var root = PathBytes.FromString(target);
        Posix.Mkdir(root, 0x1C0);
        Posix.Chmod(root, Posix.Lstat(PathBytes.FromString(source)).Mode);
        var restore = await _t.RunAsync("restore", "latest", "--target", target);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        return target;
    }

    private static async Task TarAsync(string source, string archive, string[] options) =>
        Assert.Equal(0, await Shell.RunAsync("tar", ["-C", source, .. options, "-cf", archive, "."]));

    private static byte[] ExportHeader()
    {
        var header = new byte[Cairn.Core.Export.ExportHeader.Size];
        Array.Fill(header, (byte)'\n');
        Encoding.ASCII.GetBytes(Cairn.Core.Export.ExportHeader.Magic + "\n# made by a test\n").CopyTo(header, 0);
        return header;
    }

    /// <summary>
    /// What a GNU-format archive carries comes back: names, kinds, modes, owners, sizes, mtimes to the second,
    /// devices, content, holes and hard-link groups. It has no room for extended attributes, ACLs or nanoseconds.
    /// </summary>
    private static async Task AssertSameAsGnuFormatCarriesAsync(string source, string target)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        var entries = Directory.EnumerateFileSystemEntries(source, "*", options).Select(p => Path.GetRelativePath(source, p)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(entries, Directory.EnumerateFileSystemEntries(target, "*", options).Select(p => Path.GetRelativePath(target, p)).Order(StringComparer.Ordinal));
        var sourceGroups = new Dictionary<ulong, List<string>>();
        var targetGroups = new Dictionary<ulong, List<string>>();
        foreach (var entry in entries)
        {
            var s = Posix.Lstat(PathBytes.FromString(Path.Combine(source, entry)));
            var t = Posix.Lstat(PathBytes.FromString(Path.Combine(target, entry)));
            Assert.True((s.Kind, s.Mode, s.Uid, s.Gid, s.Size, s.Rdev, s.Links) == (t.Kind, t.Mode, t.Uid, t.Gid, t.Size, t.Rdev, t.Links), $"{entry}: {s} != {t}");
            Assert.True(t.Mtime == new PosixTime(s.Mtime.Seconds, 0), $"{entry}: mtime {t.Mtime}, expected {s.Mtime.Seconds} s");
            if (s.Kind != FileKind.File)
                continue;
            if (s.Links < 100)
                Assert.Equal(await SystemTools.DataMapAsync(Path.Combine(source, entry)), await SystemTools.DataMapAsync(Path.Combine(target, entry)));
            if (s.Size < 64 * MiB)
                Assert.True(File.ReadAllBytes(Path.Combine(source, entry)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(target, entry))), entry);
            if (s.Links > 1)
            {
                (sourceGroups.TryGetValue(s.Inode, out var sg) ? sg : sourceGroups[s.Inode] = []).Add(entry);
                (targetGroups.TryGetValue(t.Inode, out var tg) ? tg : targetGroups[t.Inode] = []).Add(entry);
            }
        }
        Assert.Equal(sourceGroups.Values.Select(g => string.Join(",", g)).Order(), targetGroups.Values.Select(g => string.Join(",", g)).Order());
        Assert.Equal(2, sourceGroups.Count);
        Assert.Equal("", (await SystemTools.XattrsAsync(target)).Trim());
    }
}
