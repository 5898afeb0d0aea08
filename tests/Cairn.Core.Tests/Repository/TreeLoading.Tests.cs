using System.Text;
using Cairn.Core.Buffers;
using Cairn.Core.Compression;
using Cairn.Core.Crypto;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Repository;
using Cairn.Core.Trees;
using Cairn.Storage;

namespace Cairn.Core.Tests.Repository;

/// <summary>Trees loaded for walks that come back (kept in the cache) and for walks that visit each tree once (not kept).</summary>
public sealed class TreeLoadingTests
{
    private static async Task<(Core.Repository.Repository Repository, MemoryStorage Storage, BlobId Tree)> OneTreeRepositoryAsync()
    {
        var storage = new MemoryStorage();
        var repository = await Core.Repository.Repository.InitAsync(storage, Encoding.UTF8.GetBytes("pw"), new RepositoryInitOptions { Kdf = KdfParameters.Minimum });
        var bytes = TreeCodec.Encode([new Node { Name = "a.txt"u8.ToArray(), Kind = FileKind.File, Mode = 0x1a4 }]);
        BlobId id;
        await using (var writer = new BlobWriter(repository, CompressionSetting.Off, workers: 1, verifyDedup: false, CancellationToken.None))
        {
            var buffer = BufferPool.Shared.Rent(bytes.Length);
            bytes.CopyTo(buffer, 0);
            id = writer.IdOf(BlobType.Tree, bytes);
            await writer.SaveAsync(BlobType.Tree, id, buffer, bytes.Length);
            await writer.FlushAsync();
        }
        return (repository, storage, id);
    }

    private static async Task LosePacksAsync(MemoryStorage storage)
    {
        var packs = new List<ObjectName>();
        await foreach (var o in storage.ListAsync(ObjectKind.Pack))
            packs.Add(o.Name);
        foreach (var pack in packs)
            await storage.DeleteAsync(pack);
    }

    [Fact]
    public async Task A_tree_loaded_for_a_walk_that_comes_back_is_served_from_the_cache_afterwards()
    {
        var (repository, storage, tree) = await OneTreeRepositoryAsync();
        await using var _ = repository;

        var first = await repository.LoadTreeAsync(tree);
        await LosePacksAsync(storage);

        Assert.Same(first, await repository.LoadTreeAsync(tree));
        Assert.Same(first, await repository.LoadTreeOnceAsync(tree));
    }

    [Fact]
    public async Task A_tree_loaded_for_a_walk_that_visits_it_once_is_not_kept()
    {
        var (repository, storage, tree) = await OneTreeRepositoryAsync();
        await using var _ = repository;

        var nodes = await repository.LoadTreeOnceAsync(tree);
        await LosePacksAsync(storage);

        Assert.Equal("a.txt"u8.ToArray(), Assert.Single(nodes).Name);
        var e = await Assert.ThrowsAsync<RepositoryCorruptException>(() => repository.LoadTreeAsync(tree));
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }
}
