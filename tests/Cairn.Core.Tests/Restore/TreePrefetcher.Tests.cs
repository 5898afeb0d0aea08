using System.Text;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Repository;
using Cairn.Core.Restore;
using Cairn.Core.Trees;
using static Cairn.Core.Tests.Restore.HandMadeTrees;

namespace Cairn.Core.Tests.Restore;

/// <summary>The restore planner's trees, loaded ahead on a task of their own in the order the planner walks.</summary>
public sealed class TreePrefetcherTests
{
    private static Node File(string name) => new() { Name = Encoding.UTF8.GetBytes(name), Kind = FileKind.File };

    private static Node Directory(string name, BlobId? subtree) => new() { Name = Encoding.UTF8.GetBytes(name), Kind = FileKind.Directory, Subtree = subtree };

    /// <summary>root: a/ (a1/, f), b/ (no tree), c/ (c1/), g; every directory with a tree of its own.</summary>
    private static (TreeLoader Loader, Node Root) Snapshot()
    {
        var loader = new TreeLoader();
        loader.Trees[Id("a1")] = [File("x")];
        loader.Trees[Id("a")] = [Directory("a1", Id("a1")), File("f")];
        loader.Trees[Id("c1")] = [];
        loader.Trees[Id("c")] = [Directory("c1", Id("c1"))];
        loader.Trees[Id("root")] = [Directory("a", Id("a")), Directory("b", null), Directory("c", Id("c")), File("g")];
        return (loader, Directory("root", Id("root")));
    }

    private static TreePrefetcher Prefetcher(TreeLoader loader, Node root, Func<List<string>, bool>? isExcluded = null, int capacity = 2) =>
        new(loader, root, ["root"], isExcluded ?? (_ => false), namesMatter: isExcluded is not null, capacity, CancellationToken.None);

    [Fact]
    public async Task Trees_arrive_depth_first_in_stored_order_and_directories_without_a_tree_are_skipped()
    {
        var (loader, root) = Snapshot();
        await using var trees = Prefetcher(loader, root);

        foreach (var name in new[] { "root", "a", "a1", "c", "c1" })
            Assert.Same(loader.Trees[Id(name)], await trees.NextAsync(Id(name), CancellationToken.None));
    }

    [Fact]
    public async Task An_excluded_directory_is_neither_loaded_nor_handed_out()
    {
        var (loader, root) = Snapshot();
        await using (var trees = Prefetcher(loader, root, path => path[^1] == "a"))
        {
            foreach (var name in new[] { "root", "c", "c1" })
                Assert.Same(loader.Trees[Id(name)], await trees.NextAsync(Id(name), CancellationToken.None));
        }

        Assert.DoesNotContain(Id("a"), loader.Loaded);
        Assert.DoesNotContain(Id("a1"), loader.Loaded);
    }

    [Fact]
    public async Task A_damaged_tree_is_reported_where_the_planner_asks_for_it_and_the_walk_goes_on_past_it()
    {
        var (loader, root) = Snapshot();
        loader.Trees.Remove(Id("a"));
        await using var trees = Prefetcher(loader, root);

        await trees.NextAsync(Id("root"), CancellationToken.None);
        var e = await Assert.ThrowsAsync<RepositoryCorruptException>(async () => await trees.NextAsync(Id("a"), CancellationToken.None));
        Assert.Contains("fails authentication", e.Message, StringComparison.Ordinal);
        Assert.Same(loader.Trees[Id("c")], await trees.NextAsync(Id("c"), CancellationToken.None));
        Assert.DoesNotContain(Id("a1"), loader.Loaded);
    }

    [Fact]
    public async Task A_store_failure_reaches_the_planner_and_ends_the_walk()
    {
        var (loader, root) = Snapshot();
        loader.Failing.Add(Id("a"));
        await using var trees = Prefetcher(loader, root);

        await trees.NextAsync(Id("root"), CancellationToken.None);
        var e = await Assert.ThrowsAsync<IOException>(async () => await trees.NextAsync(Id("a"), CancellationToken.None));
        Assert.Equal("the store went away", e.Message);
        await Assert.ThrowsAsync<System.Threading.Channels.ChannelClosedException>(async () => await trees.NextAsync(Id("c"), CancellationToken.None));
        Assert.DoesNotContain(Id("c"), loader.Loaded);
    }

    [Fact]
    public async Task A_planner_that_stops_early_stops_the_walk_waiting_on_a_full_queue()
    {
        var (loader, root) = Snapshot();
        var trees = Prefetcher(loader, root, capacity: 1);
        await trees.NextAsync(Id("root"), CancellationToken.None);

        var disposed = trees.DisposeAsync().AsTask();

        Assert.Same(disposed, await Task.WhenAny(disposed, Task.Delay(TimeSpan.FromSeconds(10))));
        await disposed;
    }

    [Fact]
    public async Task Large_trees_wait_for_the_planner_within_the_entry_budget_and_one_above_it_still_comes()
    {
        // root: d00..d39 of 1,000 files each, then "huge" of more entries than the whole budget.
        var loader = new TreeLoader();
        var directories = new List<Node>();
        for (var d = 0; d < 40; d++)
        {
            loader.Trees[Id($"d{d:D2}")] = Enumerable.Range(0, 1000).Select(i => File($"f{i}")).ToList();
            directories.Add(Directory($"d{d:D2}", Id($"d{d:D2}")));
        }
        loader.Trees[Id("huge")] = Enumerable.Range(0, TreePrefetcher.NodeBudget + 1000).Select(i => File($"f{i}")).ToList();
        directories.Add(Directory("huge", Id("huge")));
        loader.Trees[Id("root")] = directories;
        await using var trees = Prefetcher(loader, Directory("root", Id("root")), capacity: 256);

        await trees.NextAsync(Id("root"), CancellationToken.None);

        // Those waiting hold at most the budget's entries (16 trees of 1,000, at 16 units of 64 each); one more is
        // loaded and waits for room; then the walk waits.
        var expected = 1 + TreePrefetcher.NodeBudget / 1024 + 1;
        int Loaded()
        {
            lock (loader.Loaded)
                return loader.Loaded.Count;
        }
        var until = DateTime.UtcNow.AddSeconds(30);
        while (Loaded() < expected && DateTime.UtcNow < until)
            await Task.Delay(10);
        await Task.Delay(200);
        Assert.Equal(expected, Loaded());
        for (var d = 0; d < 40; d++)
            Assert.Equal(1000, (await trees.NextAsync(Id($"d{d:D2}"), CancellationToken.None)).Count);
        Assert.Equal(TreePrefetcher.NodeBudget + 1000, (await trees.NextAsync(Id("huge"), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_planner_asking_for_another_tree_than_the_walk_loaded_is_a_bug_said_so()
    {
        var (loader, root) = Snapshot();
        await using var trees = Prefetcher(loader, root);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await trees.NextAsync(Id("a"), CancellationToken.None));
        Assert.Contains("tree walk loaded", e.Message, StringComparison.Ordinal);
    }
}
