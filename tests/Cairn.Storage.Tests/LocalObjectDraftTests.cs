using System.Security.Cryptography;

namespace Cairn.Storage.Tests;

/// <summary>Drafts of a <see cref="LocalStorage"/>: objects written in pieces, visible only once committed, removed when abandoned.</summary>
public sealed class LocalObjectDraftTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cairn-draft-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    private static ObjectName PackName() => new(ObjectKind.Pack, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));

    private async Task<LocalStorage> CreatedStorage()
    {
        var storage = new LocalStorage(_root);
        await storage.CreateAsync();
        return storage;
    }

    private static async Task<List<StoredObject>> Packs(IStorage storage)
    {
        var result = new List<StoredObject>();
        await foreach (var o in storage.ListAsync(ObjectKind.Pack))
            result.Add(o);
        return result;
    }

    private string[] FilesUnderRoot() => Directory.GetFiles(_root, "*", SearchOption.AllDirectories);

    [Fact]
    public async Task Pieces_written_out_of_order_from_several_threads_become_one_object_on_commit()
    {
        await using var storage = await CreatedStorage();
        var content = RandomNumberGenerator.GetBytes(64 * 1000);
        var name = PackName();

        using (var draft = storage.StartDraft(ObjectKind.Pack)!)
        {
            Parallel.For(0, 64, i => draft.Write(63_000 - i * 1000L, content.AsSpan(63_000 - i * 1000, 1000)));
            var readBack = new byte[content.Length + 10];
            Assert.Equal(content.Length, draft.Read(0, readBack));
            Assert.Equal(content, readBack[..content.Length]);
            Assert.Empty(await Packs(storage));
            await draft.CommitAsync(name);
        }

        Assert.Equal([new StoredObject(name, content.Length)], await Packs(storage));
        var stored = new byte[content.Length];
        Assert.Equal(content.Length, await storage.ReadAsync(name, 0, stored));
        Assert.Equal(content, stored);
        Assert.Single(FilesUnderRoot());
    }

    [Fact]
    public async Task A_draft_disposed_without_a_commit_leaves_nothing()
    {
        await using var storage = await CreatedStorage();
        using (var draft = storage.StartDraft(ObjectKind.Pack)!)
            draft.Write(0, new byte[4096]);

        Assert.Empty(FilesUnderRoot());
        Assert.Empty(await Packs(storage));
    }

    [Fact]
    public async Task A_commit_replaces_an_object_of_the_same_name()
    {
        await using var storage = await CreatedStorage();
        var name = PackName();
        await storage.WriteAsync(name, new byte[] { 1, 2, 3 });

        using (var draft = storage.StartDraft(ObjectKind.Pack)!)
        {
            draft.Write(0, new byte[] { 4, 5 });
            await draft.CommitAsync(name);
        }

        Assert.Equal([new StoredObject(name, 2)], await Packs(storage));
        Assert.Single(FilesUnderRoot());
    }

    [Fact]
    public async Task A_draft_in_a_directory_that_is_not_a_repository_is_a_permanent_failure()
    {
        await using var storage = new LocalStorage(_root);
        var e = Assert.Throws<StorageException>(() => storage.StartDraft(ObjectKind.Pack));
        Assert.Equal(StorageErrorKind.Permanent, e.Kind);
        Assert.Contains("not a repository", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stores_that_change_how_objects_are_written_take_only_whole_objects()
    {
        await using var storage = await CreatedStorage();
        Assert.Null(new VerifyingStorage(storage).StartDraft(ObjectKind.Pack));
        Assert.Null(new RetryingStorage(storage).StartDraft(ObjectKind.Pack));
        Assert.Null(((IStorage)new MemoryStorage()).StartDraft(ObjectKind.Pack));
    }
}
