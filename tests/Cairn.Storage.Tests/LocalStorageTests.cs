using System.Security.Cryptography;

namespace Cairn.Storage.Tests;

/// <summary>Behaviour of <see cref="LocalStorage"/> that only a filesystem store has: temporary files and layout.</summary>
public sealed class LocalStorageTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cairn-local-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    private static string HexName() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private async Task<LocalStorage> CreatedStorage()
    {
        var storage = new LocalStorage(_root);
        await storage.CreateAsync();
        return storage;
    }

    private static async Task<List<StoredObject>> ListAll(IStorage storage, ObjectKind kind)
    {
        var result = new List<StoredObject>();
        await foreach (var o in storage.ListAsync(kind))
            result.Add(o);
        return result;
    }

    [Fact]
    public async Task Write_LeavesNoTemporaryFile()
    {
        await using var storage = await CreatedStorage();

        await storage.WriteAsync(ObjectName.Config, new byte[] { 1, 2, 3 });
        await storage.WriteAsync(new ObjectName(ObjectKind.Pack, HexName()), new byte[5000]);
        await storage.WriteAsync(new ObjectName(ObjectKind.Key, HexName()), new byte[10]);
        var overwritten = new ObjectName(ObjectKind.Index, HexName());
        await storage.WriteAsync(overwritten, new byte[10]);
        await storage.WriteAsync(overwritten, new byte[20]);

        var files = Directory.GetFiles(_root, "*", SearchOption.AllDirectories);
        Assert.Equal(5 - 1, files.Length);
        Assert.DoesNotContain(files, f => Path.GetFileName(f).StartsWith(".tmp-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Write_Cancelled_LeavesNoTemporaryFile()
    {
        await using var storage = await CreatedStorage();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            storage.WriteAsync(new ObjectName(ObjectKind.Pack, HexName()), new byte[5000], cancelled.Token));

        Assert.Empty(Directory.GetFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Write_PlacesObjectsAtTheDocumentedPaths()
    {
        await using var storage = await CreatedStorage();
        var pack = new ObjectName(ObjectKind.Pack, "ab" + HexName()[2..]);
        var key = new ObjectName(ObjectKind.Key, HexName());

        await storage.WriteAsync(pack, new byte[] { 7 });
        await storage.WriteAsync(key, new byte[] { 8 });
        await storage.WriteAsync(ObjectName.Config, new byte[] { 9 });

        Assert.Equal([7], await File.ReadAllBytesAsync(Path.Combine(_root, "data", "ab", pack.Name)));
        Assert.Equal([8], await File.ReadAllBytesAsync(Path.Combine(_root, "keys", key.Name)));
        Assert.Equal([9], await File.ReadAllBytesAsync(Path.Combine(_root, "config")));
    }

    [Fact]
    public async Task List_IgnoresTemporaryFiles()
    {
        await using var storage = await CreatedStorage();
        var key = new ObjectName(ObjectKind.Key, HexName());
        var pack = new ObjectName(ObjectKind.Pack, HexName());
        await storage.WriteAsync(key, new byte[3]);
        await storage.WriteAsync(pack, new byte[4]);
        // What a crash in the middle of a write leaves behind.
        await File.WriteAllBytesAsync(Path.Combine(_root, "keys", ".tmp-" + Guid.NewGuid().ToString("N")), new byte[9]);
        await File.WriteAllBytesAsync(Path.Combine(_root, "data", pack.Name[..2], ".tmp-" + Guid.NewGuid().ToString("N")), new byte[9]);

        Assert.Equal([new StoredObject(key, 3)], await ListAll(storage, ObjectKind.Key));
        Assert.Equal([new StoredObject(pack, 4)], await ListAll(storage, ObjectKind.Pack));
    }

    [Fact]
    public async Task List_SkipsAnObjectRemovedAfterItsNameWasRead()
    {
        // A lock released, or a pack pruned, while another process lists: the directory's names are read in one go,
        // each file's status only when it is reached.
        await using var storage = await CreatedStorage();
        var locks = new[] { new ObjectName(ObjectKind.Lock, HexName()), new ObjectName(ObjectKind.Lock, HexName()) };
        foreach (var name in locks)
            await storage.WriteAsync(name, new byte[3]);
        var listed = new List<StoredObject>();

        await foreach (var o in storage.ListAsync(ObjectKind.Lock))
        {
            listed.Add(o);
            if (listed.Count == 1)
                File.Delete(Path.Combine(_root, "locks", locks.Single(n => n != o.Name).Name));
        }

        Assert.Single(listed);
    }

    [Fact]
    public async Task List_IgnoresFilesWhoseNamesAreNotObjectNames()
    {
        await using var storage = await CreatedStorage();
        var snapshot = new ObjectName(ObjectKind.Snapshot, HexName());
        await storage.WriteAsync(snapshot, new byte[3]);
        await File.WriteAllBytesAsync(Path.Combine(_root, "snapshots", "notes about this repo.txt"), new byte[9]);

        Assert.Equal([new StoredObject(snapshot, 3)], await ListAll(storage, ObjectKind.Snapshot));
    }

    [Fact]
    public async Task Write_IntoAnEmptyDirectoryThatIsNotARepository_ThrowsPermanent()
    {
        Directory.CreateDirectory(_root);
        await using var storage = new LocalStorage(_root);

        var e = await Assert.ThrowsAsync<StorageException>(() => storage.WriteAsync(new ObjectName(ObjectKind.Key, HexName()), new byte[10]));

        Assert.Equal(StorageErrorKind.Permanent, e.Kind);
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public async Task Write_PackIntoARootThatDoesNotExist_ThrowsPermanent()
    {
        await using var storage = new LocalStorage(Path.Combine(_root, "nothing", "here"));

        var e = await Assert.ThrowsAsync<StorageException>(() => storage.WriteAsync(new ObjectName(ObjectKind.Pack, HexName()), new byte[10]));

        Assert.Equal(StorageErrorKind.Permanent, e.Kind);
        Assert.False(Directory.Exists(Path.Combine(_root, "nothing")));
    }

    [Fact]
    public async Task ListAndStat_RootThatDoesNotExist_FindNothing()
    {
        await using var storage = new LocalStorage(Path.Combine(_root, "missing"));

        Assert.Empty(await ListAll(storage, ObjectKind.Pack));
        Assert.Empty(await ListAll(storage, ObjectKind.Config));
        Assert.Null(await storage.StatAsync(ObjectName.Config));
    }

    [Fact]
    public async Task Create_MakesEveryLayoutDirectory()
    {
        await using var storage = await CreatedStorage();

        foreach (var dir in ObjectLayout.Directories())
            Assert.True(Directory.Exists(Path.Combine(_root, dir)), $"{dir} is missing");
        Assert.Equal(256, Directory.GetDirectories(Path.Combine(_root, "data")).Length);
    }

    [Fact]
    public async Task RemoveStaleTemporaryFiles_RemovesOnlyOldTemporaryFiles()
    {
        await using var storage = await CreatedStorage();
        var stalePack = Path.Combine(_root, "data", "3f", ".tmp-stale1");
        var staleKey = Path.Combine(_root, "keys", ".tmp-stale2");
        var fresh = Path.Combine(_root, "keys", ".tmp-fresh");
        var key = new ObjectName(ObjectKind.Key, HexName());
        await File.WriteAllBytesAsync(stalePack, new byte[1]);
        await File.WriteAllBytesAsync(staleKey, new byte[1]);
        await File.WriteAllBytesAsync(fresh, new byte[1]);
        await storage.WriteAsync(key, new byte[1]);
        var old = DateTime.UtcNow.AddDays(-2);
        File.SetLastWriteTimeUtc(stalePack, old);
        File.SetLastWriteTimeUtc(staleKey, old);
        File.SetLastWriteTimeUtc(Path.Combine(_root, "keys", key.Name), old);

        var removed = storage.RemoveStaleTemporaryFiles(TimeSpan.FromDays(1));

        Assert.Equal(2, removed);
        Assert.False(File.Exists(stalePack), "the stale temporary file in data/3f is still there");
        Assert.False(File.Exists(staleKey), "the stale temporary file in keys is still there");
        Assert.True(File.Exists(fresh));
        Assert.NotNull(await storage.StatAsync(key));
    }

    [Fact]
    public void Location_IsTheFullPathOfTheRoot()
    {
        var storage = new LocalStorage(_root);

        Assert.Equal(Path.GetFullPath(_root), storage.Location);
    }
}
