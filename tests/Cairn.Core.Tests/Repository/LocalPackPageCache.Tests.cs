using Cairn.Storage;

namespace Cairn.Core.Tests.Repository;

/// <summary>
/// Packs written to a local store leave the page cache once flushed, and long reads of them once read; other objects
/// and short reads stay. In /var/tmp, on a disk on every usual system (a tmpfs's pages cannot be dropped).
/// </summary>
public sealed class LocalPackPageCacheTests : IDisposable
{
    private readonly string _root = Path.Combine("/var/tmp", "cairn-packcache-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly LocalStorage _storage;

    public LocalPackPageCacheTests()
    {
        _storage = new LocalStorage(_root);
        _storage.CreateAsync().GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _storage.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_root, recursive: true);
    }

    private static ObjectName Named(ObjectKind kind, byte[] content) => new(kind, Cairn.Core.Format.Digest.OfContent(content).ToString());

    private bool IsCached(ObjectName name) => PageCacheResidency.HoldsAnyOf(Path.Combine(_root, ObjectLayout.RelativePath(name)));

    [Fact]
    public async Task A_pack_built_in_a_draft_leaves_the_page_cache_once_committed()
    {
        var content = TestData.RandomBytes(1024 * 1024, seed: 3);
        var name = Named(ObjectKind.Pack, content);
        using (var draft = _storage.StartDraft(ObjectKind.Pack)!)
        {
            draft.Write(0, content);
            await draft.CommitAsync(name);
        }

        Assert.False(IsCached(name), "the committed pack is still in the page cache");
        Assert.Equal(content, await _storage.ReadAllAsync(name));
    }

    [Fact]
    public async Task A_pack_written_whole_leaves_the_page_cache_and_an_index_stays()
    {
        var pack = TestData.RandomBytes(1024 * 1024, seed: 4);
        var index = TestData.RandomBytes(64 * 1024, seed: 5);
        var packName = Named(ObjectKind.Pack, pack);
        var indexName = Named(ObjectKind.Index, index);

        await _storage.WriteAsync(packName, pack);
        await _storage.WriteAsync(indexName, index);

        Assert.False(IsCached(packName), "the pack is still in the page cache");
        Assert.True(IsCached(indexName), "the index left the page cache");
        Assert.Equal(pack, await _storage.ReadAllAsync(packName));
    }

    [Fact]
    public async Task A_long_read_of_a_pack_leaves_the_page_cache_and_a_short_one_stays()
    {
        var pack = TestData.RandomBytes(1024 * 1024, seed: 6);
        var name = Named(ObjectKind.Pack, pack);
        await _storage.WriteAsync(name, pack);

        var piece = new byte[4096];
        Assert.Equal(4096, await _storage.ReadAsync(name, 0, piece));
        Assert.True(IsCached(name), "a short read of a pack left the page cache");
        Assert.Equal(pack[..4096], piece);

        var whole = new byte[1024 * 1024];
        Assert.Equal(whole.Length, await _storage.ReadAsync(name, 0, whole));
        Assert.False(IsCached(name), "a long read of a pack stayed in the page cache");
        Assert.Equal(pack, whole);
    }
}
