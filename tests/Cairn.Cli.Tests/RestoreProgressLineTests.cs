using Cairn.Cli;
using Cairn.Commands.Restore;
using Cairn.Core.Format;
using Cairn.Core.Restore;
using Cairn.Core.Snapshots;

namespace Cairn.Cli.Tests;

/// <summary>
/// A restore's progress line while it still plans files ahead of those it writes: the whole snapshot's expected
/// totals where it takes all of it, else the totals so far marked as growing.
/// </summary>
public sealed class RestoreProgressLineTests
{
    private static Snapshot Snapshot(params string[] paths) => new()
    {
        Time = DateTimeOffset.UnixEpoch, Host = "h", Paths = paths, Tree = new BlobId(Digest.OfContent("t"u8)),
        Summary = new SnapshotSummary { TotalFiles = 71_773, TotalBytes = 2L << 30 },
    };

    [Fact]
    public void Before_planning_ends_the_totals_are_the_summary_s_marked_as_expected_with_a_time_left()
    {
        var progress = new RestoreProgress();
        progress.Expect(71_773, 2L << 30);

        var line = RestoreCommand.ProgressText(progress, TimeSpan.FromSeconds(3));

        Assert.StartsWith("[0:03] 0/~71,773 files, 0 B of ~2.00 GiB", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_expectation_the_totals_so_far_are_marked_as_growing_and_no_time_left_is_shown()
    {
        var line = RestoreCommand.ProgressText(new RestoreProgress(), TimeSpan.FromSeconds(3));

        Assert.StartsWith("[0:03] 0/0+ files, 0 B of 0 B+", line, StringComparison.Ordinal);
        Assert.DoesNotContain("ETA", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("/", true)]
    [InlineData("/home/alice", true)]
    [InlineData("/home/alice/", true)]
    [InlineData("/home/alice/docs", false)]
    [InlineData("/home", false)]
    public void The_summary_is_expected_only_of_a_restore_of_the_whole_snapshot(string path, bool expected) =>
        Assert.Equal(expected, RestoreHandler.TakesWholeSnapshot(Snapshot("/home/alice"), path, new RestoreCommandOptions { Snapshot = "latest", Target = "/t" }));

    [Fact]
    public void Include_or_exclude_patterns_or_several_backed_up_paths_take_less_than_the_summary_counts()
    {
        Assert.False(RestoreHandler.TakesWholeSnapshot(Snapshot("/home/alice"), "", new RestoreCommandOptions { Snapshot = "latest", Target = "/t", Includes = ["*.txt"] }));
        Assert.False(RestoreHandler.TakesWholeSnapshot(Snapshot("/home/alice"), "", new RestoreCommandOptions { Snapshot = "latest", Target = "/t", Excludes = ["*.tmp"] }));
        Assert.False(RestoreHandler.TakesWholeSnapshot(Snapshot("/a", "/b"), "/a", new RestoreCommandOptions { Snapshot = "latest", Target = "/t" }));
        Assert.True(RestoreHandler.TakesWholeSnapshot(Snapshot("/a", "/b"), "/", new RestoreCommandOptions { Snapshot = "latest", Target = "/t" }));
    }
}
