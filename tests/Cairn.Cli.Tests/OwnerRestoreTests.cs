using Cairn.Core.Platform;
using Cairn.Tests.Shared;

namespace Cairn.Cli.Tests;

/// <summary>
/// Owners are restored by name when the name exists on the target (ids differ between machines), by id
/// otherwise, and always by id with --numeric-owner. A real user whose uid changes between backup and restore
/// stands in for a second machine.
/// </summary>
public sealed class OwnerRestoreTests : IDisposable
{
    private readonly TestRepository _t = new();
    private readonly string _user = "cairn-t" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose()
    {
        Shell.RunAsync("userdel", _user).GetAwaiter().GetResult();
        Shell.RunAsync("groupdel", _user).GetAwaiter().GetResult();
        _t.Dispose();
    }

    [Fact]
    public async Task Owner_follows_the_name_unless_numeric_owner_is_given()
    {
        Assert.True(RichTree.IsRoot, "this test creates a user");
        Assert.Equal(0, await Shell.RunAsync("groupadd", "--gid", "23456", _user));
        Assert.Equal(0, await Shell.RunAsync("useradd", "--no-create-home", "--uid", "23456", "--gid", _user, _user));
        await _t.InitAsync();
        var source = _t.PathOf("src");
        Directory.CreateDirectory(source);
        var file = Path.Combine(source, "owned");
        File.WriteAllText(file, "mine");
        Assert.Equal(0, await Shell.RunAsync("chown", $"{_user}:{_user}", file));
        var orphan = Path.Combine(source, "orphan");
        File.WriteAllText(orphan, "no name");
        Posix.Lchown(PathBytes.FromString(orphan), 34567, 34568);
        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);

        // On "another machine" the same user has another uid.
        Assert.Equal(0, await Shell.RunAsync("usermod", "--uid", "23457", _user));
        Assert.Equal(0, await Shell.RunAsync("groupmod", "--gid", "23457", _user));

        var byName = _t.PathOf("by-name");
        Assert.Equal(0, (await _t.RunAsync("restore", $"latest:{source}", "--target", byName)).ExitCode);
        var owned = Posix.Lstat(PathBytes.FromString(Path.Combine(byName, "owned")));
        Assert.Equal((23457u, 23457u), (owned.Uid, owned.Gid));
        var orphaned = Posix.Lstat(PathBytes.FromString(Path.Combine(byName, "orphan")));
        Assert.Equal((34567u, 34568u), (orphaned.Uid, orphaned.Gid));

        var byId = _t.PathOf("by-id");
        Assert.Equal(0, (await _t.RunAsync("restore", $"latest:{source}", "--target", byId, "--numeric-owner")).ExitCode);
        owned = Posix.Lstat(PathBytes.FromString(Path.Combine(byId, "owned")));
        Assert.Equal((23456u, 23456u), (owned.Uid, owned.Gid));

        var asMe = _t.PathOf("as-me");
        Assert.Equal(0, (await _t.RunAsync("restore", $"latest:{source}", "--target", asMe, "--no-owner")).ExitCode);
        owned = Posix.Lstat(PathBytes.FromString(Path.Combine(asMe, "owned")));
        Assert.Equal(Posix.EffectiveUserId, owned.Uid);
    }

    [Theory]
    [InlineData("ntfs-3g")] // takes a new owner and mode and keeps its own
    [InlineData("exfat-fuse")] // refuses a new owner, takes a new mode and keeps its own
    public async Task A_restore_onto_a_filesystem_without_owners_works_again_over_what_it_restored(string filesystem)
    {
        // Such filesystems give every entry the mount's owner and mode (here someone else's, writable by all): the
        // restore's checks that a directory is its own must let that through, the first time and over an existing tree.
        Assert.True(RichTree.IsRoot, "only root mounts a filesystem image");
        await _t.InitAsync();
        var source = _t.PathOf("src");
        Directory.CreateDirectory(Path.Combine(source, "open", "deeper"));
        Directory.CreateDirectory(Path.Combine(source, "private"));
        Posix.Chmod(PathBytes.FromString(Path.Combine(source, "private")), 0x1C0);
        File.WriteAllText(Path.Combine(source, "open", "deeper", "a"), "a");
        File.WriteAllText(Path.Combine(source, "private", "b"), "b");
        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);
        var image = _t.PathOf("disk.img");
        using (var file = File.Create(image))
            file.SetLength(64 << 20);
        Assert.Equal(0, filesystem == "ntfs-3g" ? await Shell.RunAsync("mkntfs", "-F", "-Q", image) : await Shell.RunAsync("mkfs.exfat", image));
        var mount = _t.PathOf("disk");
        Directory.CreateDirectory(mount);
        Assert.Equal(0, await Shell.RunAsync("mount", "-t", filesystem, "-o", "loop,uid=34567,umask=0", image, mount));
        try
        {
            foreach (var run in new[] { "first", "again" })
            {
                var restore = await _t.RunAsync("restore", $"latest:{source}", "--target", mount);

                Assert.True(restore.ExitCode is 0 or 3, $"{run}: {restore}"); // owners or modes may not be restored, nothing else
                Assert.DoesNotContain("error", restore.Error, StringComparison.OrdinalIgnoreCase);
                Assert.Equal("a", File.ReadAllText(Path.Combine(mount, "open", "deeper", "a")));
                Assert.Equal("b", File.ReadAllText(Path.Combine(mount, "private", "b")));
            }
        }
        finally
        {
            await Mounts.UnmountAsync(mount);
        }
    }
}
