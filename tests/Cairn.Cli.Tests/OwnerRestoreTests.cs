using Cairn.Core.Platform;

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
}
