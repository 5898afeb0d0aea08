using Cairn.Core.Backup;

namespace Cairn.Core.Tests.Backup;

public sealed class ChangeDetectionPolicyTests
{
    private static readonly ChangeDetection Default = new(false, false, false);

    [Fact]
    public void For_WithoutRules_GivesTheRunsSwitchesEverywhere()
    {
        var everywhere = new ChangeDetection(IgnoreCtime: true, IgnoreInode: false, Rehash: true);

        Assert.Equal(everywhere, new ChangeDetectionPolicy(everywhere, []).For("/any/path"u8));
    }

    [Fact]
    public void For_RuleCoversItsPathAndEverythingBelow()
    {
        var policy = new ChangeDetectionPolicy(Default, [new ChangeDetectionRule("/mnt/nfs", IgnoreCtime: true, IgnoreInode: true)]);

        Assert.Equal(new ChangeDetection(true, true, false), policy.For("/mnt/nfs"u8));
        Assert.Equal(new ChangeDetection(true, true, false), policy.For("/mnt/nfs/a/b/file"u8));
        Assert.Equal(Default, policy.For("/mnt/nfs2/file"u8));
        Assert.Equal(Default, policy.For("/mnt"u8));
    }

    [Fact]
    public void For_LaterRulesDecideTheKeysTheySet()
    {
        var policy = new ChangeDetectionPolicy(Default,
        [
            new ChangeDetectionRule("/data", IgnoreCtime: true, Rehash: true),
            new ChangeDetectionRule("/data/scratch", Rehash: false),
            new ChangeDetectionRule("*.db", IgnoreInode: true),
        ]);

        Assert.Equal(new ChangeDetection(true, false, true), policy.For("/data/photos/a.jpg"u8));
        Assert.Equal(new ChangeDetection(true, false, false), policy.For("/data/scratch/tmp"u8));
        Assert.Equal(new ChangeDetection(true, true, false), policy.For("/data/scratch/app.db"u8));
        Assert.Equal(new ChangeDetection(false, true, false), policy.For("/home/me/app.db"u8));
    }

    [Fact]
    public void For_RunsSwitchesCannotBeTurnedOffByARule()
    {
        var policy = new ChangeDetectionPolicy(new ChangeDetection(false, false, Rehash: true), [new ChangeDetectionRule("/data", Rehash: false)]);

        Assert.True(policy.For("/data/file"u8).Rehash);
    }
}
