using Cairn.Core.Platform;
using Cairn.Tests.Shared;

namespace Cairn.Cli.Tests;

/// <summary>
/// Extended attributes and POSIX ACLs: kept exactly (binary, empty and large values, on files, directories and
/// symlinks, access and default ACLs), compared with getfattr and getfacl rather than with Cairn's own reader;
/// skipped on request; and reported per kind, never fatal, on a target that cannot hold them.
/// </summary>
public sealed class ExtendedAttributeTests : IDisposable
{
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task Xattrs_and_acls_round_trip_exactly()
    {
        Assert.True(RichTree.IsRoot, "these tests run as root (trusted.* attributes, ACLs for other users)");
        await _t.InitAsync();
        var source = CreateSource();
        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);
        var target = _t.PathOf("out");
        var restore = await _t.RunAsync("restore", $"latest:{source}", "--target", target);
        Assert.True(restore.ExitCode == 0, restore.ToString());

        var expectedXattrs = await SystemTools.XattrsAsync(source);
        var expectedAcls = await SystemTools.AclsAsync(source);
        Assert.Contains("user.large=", expectedXattrs, StringComparison.Ordinal);
        Assert.Contains("trusted.link=", expectedXattrs, StringComparison.Ordinal);
        Assert.Contains("default:user:1234:r-x", expectedAcls, StringComparison.Ordinal);
        Assert.Equal(expectedXattrs, await SystemTools.XattrsAsync(target));
        Assert.Equal(expectedAcls, await SystemTools.AclsAsync(target));

        var ls = await _t.RunAsync("ls", "--long", "latest");
        Assert.Contains("acl=user::rwx,user:1234:rwx,group::r-x,group:5678:r--,mask::rwx,other::r-x", ls.Output, StringComparison.Ordinal);
        Assert.Contains("default-acl=user::rwx,user:1234:r-x,group::r-x,mask::r-x,other::r-x", ls.Output, StringComparison.Ordinal);
        Assert.Contains("xattrs=trusted.secret,user.bin,user.empty,user.large", ls.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entries_restored_into_a_directory_with_a_default_acl_and_flags_get_only_their_own()
    {
        Assert.True(RichTree.IsRoot, "these tests run as root (trusted.* attributes, ACLs for other users)");
        await _t.InitAsync();
        var source = _t.PathOf("src");
        Directory.CreateDirectory(Path.Combine(source, "d"));
        File.WriteAllText(Path.Combine(source, "d", "f"), "plain");
        File.WriteAllText(Path.Combine(source, "g"), "plain");
        Assert.Equal(0, await Shell.RunAsync("mkfifo", Path.Combine(source, "d", "fifo")));
        await _t.RunOkAsync("backup", source);
        // A directory that new entries inherit a default ACL and noatime (+A) from, as ext4 hands them down.
        var target = _t.PathOf("out");
        Directory.CreateDirectory(target);
        Assert.Equal(0, await Shell.RunAsync("setfacl", "-d", "-m", "u:65534:rwx", target));
        Assert.Equal(0, await Shell.RunAsync("chattr", "+A", target));

        var restore = await _t.RunAsync("restore", $"latest:{source}", "--target", target);

        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal(await SystemTools.AclsAsync(source), await SystemTools.AclsAsync(target));
        Assert.Equal(await SystemTools.FlagsAsync(source), await SystemTools.FlagsAsync(target));
        Assert.Equal(await SystemTools.FlagsAsync(Path.Combine(source, "d")), await SystemTools.FlagsAsync(Path.Combine(target, "d")));
        TreeAssert.Same(source, target, compareOwners: true);
    }

    [Fact]
    public async Task Unchanged_files_keep_their_attributes_in_the_next_snapshot()
    {
        await _t.InitAsync();
        var source = CreateSource();
        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);
        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);
        var target = _t.PathOf("out");
        Assert.Equal(0, (await _t.RunAsync("restore", $"latest:{source}", "--target", target)).ExitCode);
        Assert.Equal(await SystemTools.XattrsAsync(source),
            await SystemTools.XattrsAsync(target));
    }

    [Fact]
    public async Task No_xattrs_and_no_acls_leave_them_out()
    {
        await _t.InitAsync();
        var source = CreateSource();
        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);
        var target = _t.PathOf("out");
        var run = await _t.RunAsync("restore", $"latest:{source}", "--target", target, "--no-xattrs", "--no-acls");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", (await SystemTools.XattrsAsync(target)).Trim());
        Assert.DoesNotContain("user:1234", await SystemTools.AclsAsync(target), StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(source, "file")), File.ReadAllBytes(Path.Combine(target, "file")));
    }

    [Fact]
    public async Task A_target_without_xattrs_gets_the_data_and_one_warning_per_reason()
    {
        await _t.InitAsync();
        var source = _t.PathOf("plain-src");
        Directory.CreateDirectory(source);
        for (var i = 0; i < 3; i++)
        {
            var file = Path.Combine(source, $"f{i}");
            File.WriteAllText(file, $"content {i}");
            Posix.SetXattr(PathBytes.FromString(file), "user.note"u8, [1, 2, 3]);
            Assert.Equal(0, await Shell.RunAsync("setfacl", "-m", "u:1234:r", file));
        }
        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);

        // ramfs holds neither extended attributes nor ACLs (this kernel has no vfat to show the same).
        var mount = _t.PathOf("ramfs");
        Directory.CreateDirectory(mount);
        Assert.Equal(0, await Shell.RunAsync("mount", "-t", "ramfs", "ramfs", mount));
        try
        {
            var run = await _t.RunAsync("restore", $"latest:{source}", "--target", Path.Combine(mount, "a"));
            Assert.True(run.ExitCode == 3, run.ToString());
            for (var i = 0; i < 3; i++)
                Assert.Equal($"content {i}", File.ReadAllText(Path.Combine(mount, "a", $"f{i}")));
            var unsupported = run.Error.Split('\n').Single(l => l.Contains("the target filesystem does not support them", StringComparison.Ordinal));
            Assert.StartsWith("warning: 3 xattrs and 3 ACLs were not restored", unsupported, StringComparison.Ordinal);
            Assert.Contains("(e.g. " + Path.Combine(mount, "a", "f"), unsupported, StringComparison.Ordinal);

            var quiet = await _t.RunAsync("restore", $"latest:{source}", "--target", Path.Combine(mount, "b"), "--quiet-metadata-warnings");
            Assert.True(quiet.ExitCode == 3, quiet.ToString());
            Assert.DoesNotContain("warning", quiet.Error, StringComparison.Ordinal);
            Assert.Equal("content 0", File.ReadAllText(Path.Combine(mount, "b", "f0")));

            File.WriteAllText(_t.ConfigFile, "[restore]\nquiet-metadata-warnings = true\n");
            var quietByConfiguration = await _t.RunAsync("restore", $"latest:{source}", "--target", Path.Combine(mount, "c"));
            Assert.True(quietByConfiguration.ExitCode == 3, quietByConfiguration.ToString());
            Assert.DoesNotContain("warning", quietByConfiguration.Error, StringComparison.Ordinal);
        }
        finally
        {
            await Mounts.UnmountAsync(mount);
        }
    }

    /// <summary>Files, a directory and a symlink with binary, empty, large and trusted attributes and ACLs.</summary>
    private string CreateSource()
    {
        var source = _t.PathOf("src");
        Directory.CreateDirectory(Path.Combine(source, "dir"));
        var file = Path.Combine(source, "file");
        File.WriteAllText(file, "with attributes");
        var binary = new byte[256];
        for (var i = 0; i < binary.Length; i++)
            binary[i] = (byte)i;
        var large = new byte[3000];
        new Random(7).NextBytes(large);
        var fileBytes = PathBytes.FromString(file);
        Posix.SetXattr(fileBytes, "user.bin"u8, binary);
        Posix.SetXattr(fileBytes, "user.empty"u8, []);
        Posix.SetXattr(fileBytes, "user.large"u8, large);
        Posix.SetXattr(fileBytes, "trusted.secret"u8, "root only"u8);
        var dir = Path.Combine(source, "dir");
        Posix.SetXattr(PathBytes.FromString(dir), "user.on-a-directory"u8, "yes"u8);
        Assert.Equal(0, Shell.RunAsync("setfacl", "-m", "u:1234:rwx,g:5678:r", dir).GetAwaiter().GetResult());
        Assert.Equal(0, Shell.RunAsync("setfacl", "-d", "-m", "u:1234:rx", dir).GetAwaiter().GetResult());
        File.WriteAllText(Path.Combine(dir, "inside"), "inherits nothing: its ACL is its own");
        Assert.Equal(0, Shell.RunAsync("setfacl", "-m", "u:4321:r", file).GetAwaiter().GetResult());
        var link = Path.Combine(source, "link");
        File.CreateSymbolicLink(link, "file");
        Posix.SetXattr(PathBytes.FromString(link), "trusted.link"u8, [0, 0, 7]);
        return source;
    }
}
