using System.Text;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Repository;
using Cairn.Core.Trees;

namespace Cairn.Core.Tests.Repository;

/// <summary>The tree cache holds at most a number of tree entries, however they are spread over trees.</summary>
public sealed class TreeCacheTests
{
    private static BlobId Id(int n) => new(Digest.OfContent(BitConverter.GetBytes(n)));

    private static List<Node> Tree(int entries) =>
        Enumerable.Range(0, entries).Select(i => new Node { Name = Encoding.UTF8.GetBytes($"f{i}"), Kind = FileKind.File }).ToList();

    [Fact]
    public void Trees_are_dropped_oldest_first_once_their_entries_pass_the_capacity()
    {
        var cache = new TreeCache(capacityInNodes: 10);
        cache.Add(Id(1), Tree(4));
        cache.Add(Id(2), Tree(4));
        cache.Add(Id(3), Tree(2));
        Assert.True(cache.TryGet(Id(1), out _));

        cache.Add(Id(4), Tree(3));

        Assert.False(cache.TryGet(Id(1), out _));
        Assert.True(cache.TryGet(Id(2), out var kept));
        Assert.Equal(4, kept.Count);
        Assert.True(cache.TryGet(Id(3), out _));
        Assert.True(cache.TryGet(Id(4), out _));
    }

    [Fact]
    public void One_huge_directory_is_not_kept_and_does_not_push_the_others_out()
    {
        var cache = new TreeCache(capacityInNodes: 10);
        cache.Add(Id(1), Tree(5));

        cache.Add(Id(2), Tree(11));

        Assert.False(cache.TryGet(Id(2), out _));
        Assert.True(cache.TryGet(Id(1), out _));
    }

    [Fact]
    public void Empty_trees_count_as_one_entry_each()
    {
        var cache = new TreeCache(capacityInNodes: 3);
        for (var i = 0; i < 4; i++)
            cache.Add(Id(i), []);

        Assert.False(cache.TryGet(Id(0), out _));
        Assert.True(cache.TryGet(Id(1), out _));
        Assert.True(cache.TryGet(Id(3), out _));
    }

    [Fact]
    public void A_tree_added_twice_counts_once()
    {
        var cache = new TreeCache(capacityInNodes: 6);
        cache.Add(Id(1), Tree(3));
        cache.Add(Id(1), Tree(3));
        cache.Add(Id(2), Tree(3));

        Assert.True(cache.TryGet(Id(1), out _));
        Assert.True(cache.TryGet(Id(2), out _));
    }
}
