using Cairn.Core.Platform;

namespace Cairn.Cli.Tests;

/// <summary>Hard-link groups are read once and come back as one file with several names, also when only some of the names are restored.</summary>
public sealed class HardLinkTests : IDisposable
{
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task Every_name_of_a_link_group_whose_content_could_not_be_restored_is_reported()
    {
        await _t.InitAsync();
        var source = _t.PathOf("src");
        Directory.CreateDirectory(source);
        var content = new byte[1 << 20];
        new Random(4).NextBytes(content);
        File.WriteAllBytes(Path.Combine(source, "first"), content);
        Link(Path.Combine(source, "first"), Path.Combine(source, "second"));
        File.WriteAllText(Path.Combine(source, "unlinked"), "fine");
        await _t.RunOkAsync("backup", source);
        var data = RepositoryFiles.Packs(_t.Repo).MaxBy(p => new FileInfo(p).Length)!;
        RepositoryFiles.FlipBit(data, 1000); // inside the only blob of the linked file

        var target = _t.PathOf("out");
        var restore = await _t.RunAsync("restore", $"latest:{source}", "--target", target);

        Assert.True(restore.ExitCode == 4, restore.ToString());
        Assert.Contains("2 entries were not restored correctly", restore.Error, StringComparison.Ordinal);
        Assert.Contains($"{target}/second: not restored: a hard link to {target}/first, which was not restored completely", restore.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(target, "second")));
        Assert.Equal("fine", File.ReadAllText(Path.Combine(target, "unlinked")));
    }

    [Fact]
    public async Task Link_groups_and_a_link_farm_are_restored_as_links()
    {
        await _t.InitAsync();
        var source = _t.PathOf("src");
        foreach (var d in new[] { "a", "b", "c", "farm" })
            Directory.CreateDirectory(Path.Combine(source, d));
        var original = Path.Combine(source, "a", "x");
        var content = new byte[3 << 20];
        new Random(3).NextBytes(content);
        File.WriteAllBytes(original, content);
        Link(original, Path.Combine(source, "b", "y"));
        Link(original, Path.Combine(source, "c", "z"));
        var farmed = Path.Combine(source, "farm", "target");
        File.WriteAllText(farmed, "one file, many names");
        for (var i = 0; i < 2000; i++)
            Link(farmed, Path.Combine(source, "farm", $"link{i:0000}"));

        var backup = await _t.RunAsync("--json", "backup", source);
        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.True(backup.Output.Replace(" ", "", StringComparison.Ordinal).Contains("\"bytes_read\":" + (content.Length + 20), StringComparison.Ordinal), backup.Output);

        var ls = await _t.RunAsync("ls", "--long", "latest", source);
        Assert.Contains($"{source}/b/y => {source}/a/x", ls.Output, StringComparison.Ordinal);
        Assert.Contains($"{source}/farm/target => {source}/farm/link0000", ls.Output, StringComparison.Ordinal);
        Assert.DoesNotContain($"{source}/a/x =>", ls.Output, StringComparison.Ordinal);

        var stats = await _t.RunAsync("stats", "latest");
        Assert.True(stats.Output.Contains("Hard-link groups: 2 (2,004 names)", StringComparison.Ordinal), stats.ToString());

        var target = _t.PathOf("out");
        Assert.Equal(0, (await _t.RunAsync("restore", $"latest:{source}", "--target", target)).ExitCode);
        var x = Stat(target, "a", "x");
        Assert.Equal(3u, x.Links);
        Assert.Equal(x.Inode, Stat(target, "b", "y").Inode);
        Assert.Equal(x.Inode, Stat(target, "c", "z").Inode);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(target, "c", "z")));
        var farm = Stat(target, "farm", "target");
        Assert.Equal(2001u, farm.Links);
        Assert.Equal(farm.Inode, Stat(target, "farm", "link1999").Inode);

        // Only two of the three names: still one file.
        var some = _t.PathOf("some");
        var partial = await _t.RunAsync("restore", $"latest:{source}", "--target", some, "--include", "x", "--include", "z");
        Assert.True(partial.ExitCode == 0, partial.ToString());
        Assert.False(File.Exists(Path.Combine(some, "b", "y")));
        Assert.Equal(2u, Stat(some, "a", "x").Links);
        Assert.Equal(Stat(some, "a", "x").Inode, Stat(some, "c", "z").Inode);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(some, "c", "z")));
    }

    private static void Link(string existing, string path) => Posix.Link(PathBytes.FromString(existing), PathBytes.FromString(path));

    private static FileStatus Stat(params string[] parts) => Posix.Lstat(PathBytes.FromString(Path.Combine(parts)));
}
