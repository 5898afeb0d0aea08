using System.Security.Cryptography;

namespace Cairn.Storage.Tests;

/// <summary>Drafts spooled to a local file for stores that take whole objects: nameless files, uploaded on commit.</summary>
public sealed class SpooledObjectDraftTests : IDisposable
{
    private readonly string _spool = Directory.CreateTempSubdirectory("cairn-spool-tests-").FullName;

    public void Dispose() => Directory.Delete(_spool, recursive: true);

    private static ObjectName PackName() => new(ObjectKind.Pack, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));

    [Fact]
    public async Task Pieces_written_out_of_order_from_several_threads_are_uploaded_whole_on_commit()
    {
        await using var storage = new MemoryStorage();
        var content = RandomNumberGenerator.GetBytes(64 * 1000);
        var name = PackName();

        using (var draft = new SpooledObjectDraft(storage, _spool))
        {
            Parallel.For(0, 64, i => draft.Write(63_000 - i * 1000L, content.AsSpan(63_000 - i * 1000, 1000)));
            Assert.Equal(content.Length, draft.Length);
            var readBack = new byte[content.Length + 10];
            Assert.Equal(content.Length, draft.Read(0, readBack));
            Assert.Equal(content, readBack[..content.Length]);
            Assert.Null(await storage.StatAsync(name));
            await draft.CommitAsync(name);
            Assert.Throws<ObjectDisposedException>(() => draft.Write(0, new byte[1]));
        }

        Assert.Equal(content, await storage.ReadAllAsync(name));
    }

    [Fact]
    public async Task The_spool_file_has_no_name_so_nothing_is_left_behind()
    {
        await using var storage = new MemoryStorage();

        using (var draft = new SpooledObjectDraft(storage, _spool))
        {
            draft.Write(0, new byte[1 << 20]);
            Assert.Empty(Directory.GetFileSystemEntries(_spool));
        }

        Assert.Empty(Directory.GetFileSystemEntries(_spool));
    }

    [Fact]
    public async Task A_draft_disposed_without_a_commit_uploads_nothing()
    {
        await using var storage = new MemoryStorage();
        using (var draft = new SpooledObjectDraft(storage, _spool))
            draft.Write(0, new byte[4096]);

        await foreach (var _ in storage.ListAsync(ObjectKind.Pack))
            Assert.Fail("an abandoned draft was uploaded");
    }

    [Fact]
    public async Task A_failed_upload_leaves_the_draft_to_commit_again()
    {
        var storage = new FlakyStorage { FailuresLeft = 1 };
        var name = PackName();
        using var draft = new SpooledObjectDraft(storage, _spool);
        draft.Write(0, new byte[] { 7, 8, 9 });

        await Assert.ThrowsAsync<StorageException>(() => draft.CommitAsync(name));
        await draft.CommitAsync(name);

        Assert.Equal([7, 8, 9], await storage.ReadAllAsync(name));
    }

    [Fact]
    public void A_spool_directory_that_does_not_exist_is_named_in_a_permanent_failure()
    {
        var missing = Path.Combine(_spool, "missing");

        var e = Assert.Throws<StorageException>(() => new SpooledObjectDraft(new MemoryStorage(), missing));

        Assert.Equal(StorageErrorKind.Permanent, e.Kind);
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Contains("TMPDIR", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stores_that_keep_drafts_get_them_and_the_others_get_a_spool()
    {
        var root = Path.Combine(_spool, "repo");
        await using var local = new LocalStorage(root);
        await local.CreateAsync();

        using (var inPlace = local.StartDraftOrSpool(ObjectKind.Pack))
            Assert.IsNotType<SpooledObjectDraft>(inPlace);
        using (var spooled = new VerifyingStorage(local).StartDraftOrSpool(ObjectKind.Pack))
            Assert.IsType<SpooledObjectDraft>(spooled);
    }
}
