using Cairn.Core.Platform;

namespace Cairn.Cli.Tests;

/// <summary>
/// One tree with every kind of entry and metadata Cairn keeps — xattrs (binary, large, on a directory), access
/// and default ACLs, sparse files (three extents, a trailing hole, all hole, written zeros), a hard-link group
/// over three directories, a link farm, a FIFO, devices, chattr flags — backed up and restored as root, then
/// compared entry by entry: content, every status field, the data/hole map, the link groups, attributes, ACLs
/// and flags (the last three with getfattr, getfacl and lsattr).
/// </summary>
public sealed class EverythingRoundTripTests : IDisposable
{
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task Everything_comes_back_exactly()
    {
        Assert.True(RichTree.IsRoot, "devices, trusted.* attributes and ACLs for other users need root");
        await _t.InitAsync();
        var source = _t.PathOf("src");
        await FullMetadataTree.BuildAsync(source);
        var backup = await _t.RunAsync("backup", source);
        Assert.True(backup.ExitCode == 0, backup.ToString());
        var target = _t.PathOf("out");
        var restore = await _t.RunAsync("restore", $"latest:{source}", "--target", target);
        Assert.True(restore.ExitCode == 0, restore.ToString());

        await FullMetadataTree.AssertSameAsync(source, target, compareFlags: true);
    }
}
