using System.Security.Cryptography;

namespace Cairn.Storage.Tests;

/// <summary>
/// The contract of <see cref="IStorage"/> (see its remarks), run against every implementation by subclassing.
/// </summary>
public abstract class StorageConformanceTests : IAsyncLifetime
{
    private IStorage? _storage;

    protected IStorage Storage => _storage ?? throw new InvalidOperationException("not initialised");

    /// <summary>Creates a fresh, empty store; <see cref="IStorage.CreateAsync"/> is called by the suite.</summary>
    protected abstract IStorage CreateStorage();

    public async Task InitializeAsync()
    {
        _storage = CreateStorage();
        await _storage.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        if (_storage is not null)
            await _storage.DisposeAsync();
    }

    protected static string HexName() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    protected static ObjectName NewName(ObjectKind kind) =>
        kind == ObjectKind.Config ? ObjectName.Config : new ObjectName(kind, HexName());

    protected static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private async Task<List<StoredObject>> ListAll(ObjectKind kind)
    {
        var result = new List<StoredObject>();
        await foreach (var o in Storage.ListAsync(kind))
            result.Add(o);
        return result;
    }

    [Theory]
    [InlineData(ObjectKind.Config)]
    [InlineData(ObjectKind.Key)]
    [InlineData(ObjectKind.Pack)]
    [InlineData(ObjectKind.Index)]
    [InlineData(ObjectKind.Snapshot)]
    [InlineData(ObjectKind.Lock)]
    [InlineData(ObjectKind.Pending)]
    [InlineData(ObjectKind.Hold)]
    [InlineData(ObjectKind.Policy)]
    public async Task Write_ThenReadStatAndList_SeeTheObject(ObjectKind kind)
    {
        var name = NewName(kind);
        var content = RandomBytes(1000, 1);

        await Storage.WriteAsync(name, content);

        var buffer = new byte[content.Length];
        Assert.Equal(content.Length, await Storage.ReadAsync(name, 0, buffer));
        Assert.Equal(content, buffer);
        Assert.Equal(new StoredObject(name, content.Length), await Storage.StatAsync(name));
        Assert.Equal([new StoredObject(name, content.Length)], await ListAll(kind));
    }

    [Fact]
    public async Task Write_EmptyObject_RoundTrips()
    {
        var name = NewName(ObjectKind.Lock);

        await Storage.WriteAsync(name, ReadOnlyMemory<byte>.Empty);

        Assert.Equal(new StoredObject(name, 0), await Storage.StatAsync(name));
        Assert.Equal(0, await Storage.ReadAsync(name, 0, new byte[16]));
        Assert.Empty(await Storage.ReadAllAsync(name));
    }

    [Fact]
    public async Task Read_Range_ReturnsThatSlice()
    {
        var name = NewName(ObjectKind.Pack);
        var content = RandomBytes(1000, 2);
        await Storage.WriteAsync(name, content);

        var buffer = new byte[50];
        Assert.Equal(50, await Storage.ReadAsync(name, 100, buffer));
        Assert.Equal(content.AsSpan(100, 50).ToArray(), buffer);
    }

    [Fact]
    public async Task Read_RangeCrossingTheEnd_ReturnsOnlyTheBytesThatExist()
    {
        var name = NewName(ObjectKind.Pack);
        var content = RandomBytes(1000, 3);
        await Storage.WriteAsync(name, content);

        var buffer = new byte[50];
        Assert.Equal(10, await Storage.ReadAsync(name, 990, buffer));
        Assert.Equal(content.AsSpan(990).ToArray(), buffer.AsSpan(0, 10).ToArray());
        Assert.All(buffer.AsSpan(10).ToArray(), b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(1_000_000)]
    public async Task Read_OffsetAtOrPastTheEnd_ReturnsZero(long offset)
    {
        var name = NewName(ObjectKind.Pack);
        await Storage.WriteAsync(name, RandomBytes(1000, 4));

        Assert.Equal(0, await Storage.ReadAsync(name, offset, new byte[50]));
    }

    [Fact]
    public async Task Write_ExistingName_ReplacesTheObject()
    {
        var name = NewName(ObjectKind.Index);
        await Storage.WriteAsync(name, RandomBytes(1000, 5));
        var replacement = RandomBytes(10, 6);

        await Storage.WriteAsync(name, replacement);

        Assert.Equal(new StoredObject(name, 10), await Storage.StatAsync(name));
        Assert.Equal(replacement, await Storage.ReadAllAsync(name));
        Assert.Single(await ListAll(ObjectKind.Index));
    }

    [Fact]
    public async Task Write_Cancelled_LeavesNoObject()
    {
        var name = NewName(ObjectKind.Pack);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Storage.WriteAsync(name, RandomBytes(1000, 16), cancelled.Token));

        Assert.Null(await Storage.StatAsync(name));
        Assert.Empty(await ListAll(ObjectKind.Pack));
    }

    [Fact]
    public async Task OverwriteWithZeros_ZeroesTheObjectWhereTheStoreCan_AndIsRefusedElsewhere()
    {
        var name = NewName(ObjectKind.Pack);
        var content = RandomBytes(600_000, 31);
        await Storage.WriteAsync(name, content);
        if (!Storage.CanOverwriteInPlace)
        {
            await Assert.ThrowsAsync<NotSupportedException>(() => Storage.OverwriteWithZerosAsync(name));
            return;
        }

        await Storage.OverwriteWithZerosAsync(name);

        var buffer = new byte[content.Length];
        await Storage.ReadExactlyAsync(name, 0, buffer);
        Assert.True(buffer.All(b => b == 0), "some bytes were not overwritten");
        await Storage.OverwriteWithZerosAsync(NewName(ObjectKind.Pack)); // a missing object is left alone
    }

    [Fact]
    public async Task Delete_RemovesTheObject()
    {
        var name = NewName(ObjectKind.Pack);
        await Storage.WriteAsync(name, RandomBytes(100, 7));

        await Storage.DeleteAsync(name);

        Assert.Null(await Storage.StatAsync(name));
        Assert.Empty(await ListAll(ObjectKind.Pack));
        var e = await Assert.ThrowsAsync<StorageException>(() => Storage.ReadAsync(name, 0, new byte[10]));
        Assert.Equal(StorageErrorKind.NotFound, e.Kind);
    }

    [Theory]
    [InlineData(ObjectKind.Config)]
    [InlineData(ObjectKind.Key)]
    [InlineData(ObjectKind.Pack)]
    [InlineData(ObjectKind.Snapshot)]
    public async Task Delete_MissingObject_Succeeds(ObjectKind kind)
    {
        var name = NewName(kind);

        await Storage.DeleteAsync(name);
        await Storage.WriteAsync(name, RandomBytes(10, 8));
        await Storage.DeleteAsync(name);
        await Storage.DeleteAsync(name); // a second delete of the same name

        Assert.Null(await Storage.StatAsync(name));
    }

    [Fact]
    public async Task Read_MissingObject_ThrowsNotFound()
    {
        var name = NewName(ObjectKind.Snapshot);

        var e = await Assert.ThrowsAsync<StorageException>(() => Storage.ReadAsync(name, 0, new byte[10]));

        Assert.Equal(StorageErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task Stat_MissingObject_ReturnsNull()
    {
        Assert.Null(await Storage.StatAsync(NewName(ObjectKind.Key)));
        Assert.Null(await Storage.StatAsync(ObjectName.Config));
    }

    [Fact]
    public async Task List_EmptyStore_ReturnsNothingForEveryKind()
    {
        foreach (var kind in Enum.GetValues<ObjectKind>())
            Assert.Empty(await ListAll(kind));
    }

    [Fact]
    public async Task List_ReturnsOnlyObjectsOfTheRequestedKind()
    {
        var expected = new Dictionary<ObjectKind, HashSet<StoredObject>>();
        var length = 1;
        foreach (var kind in Enum.GetValues<ObjectKind>())
        {
            expected[kind] = [];
            var count = kind == ObjectKind.Config ? 1 : 3;
            for (var i = 0; i < count; i++)
            {
                // Packs spread over fan-out directories: use names in different ones.
                var name = NewName(kind);
                await Storage.WriteAsync(name, RandomBytes(length, length));
                expected[kind].Add(new StoredObject(name, length));
                length++;
            }
        }

        foreach (var kind in Enum.GetValues<ObjectKind>())
        {
            var listed = await ListAll(kind);
            Assert.Equal(expected[kind].Count, listed.Count);
            Assert.Equal(expected[kind], listed.ToHashSet());
        }
    }

    [Fact]
    public async Task List_SameNameUnderTwoKinds_AreDistinctObjects()
    {
        var hex = HexName();
        var key = new ObjectName(ObjectKind.Key, hex);
        var snapshot = new ObjectName(ObjectKind.Snapshot, hex);
        await Storage.WriteAsync(key, RandomBytes(11, 9));
        await Storage.WriteAsync(snapshot, RandomBytes(22, 10));

        Assert.Equal([new StoredObject(key, 11)], await ListAll(ObjectKind.Key));
        Assert.Equal([new StoredObject(snapshot, 22)], await ListAll(ObjectKind.Snapshot));
        Assert.Equal(RandomBytes(11, 9), await Storage.ReadAllAsync(key));
        Assert.Equal(RandomBytes(22, 10), await Storage.ReadAllAsync(snapshot));
    }

    [Fact]
    public async Task Write_ConcurrentWritesOfDifferentObjects_AllLand()
    {
        var objects = Enumerable.Range(0, 64)
            .Select(i => (Name: NewName(i % 2 == 0 ? ObjectKind.Pack : ObjectKind.Index), Content: RandomBytes(1000 + i * 97, 100 + i)))
            .ToList();

        await Task.WhenAll(objects.Select(o => Task.Run(() => Storage.WriteAsync(o.Name, o.Content))));

        foreach (var (name, content) in objects)
            Assert.Equal(content, await Storage.ReadAllAsync(name));
        var listed = (await ListAll(ObjectKind.Pack)).Concat(await ListAll(ObjectKind.Index)).ToHashSet();
        Assert.Equal(objects.Select(o => new StoredObject(o.Name, o.Content.Length)).ToHashSet(), listed);
    }

    [Fact]
    public async Task Write_LargeObject_RoundTrips()
    {
        var name = NewName(ObjectKind.Pack);
        var content = RandomBytes(20 * 1024 * 1024, 11);

        await Storage.WriteAsync(name, content);

        Assert.Equal(content.LongLength, (await Storage.StatAsync(name))?.Length);
        var read = await Storage.ReadAllAsync(name);
        Assert.True(content.AsSpan().SequenceEqual(read), "the 20 MiB object read back differs");
        var tail = new byte[4096];
        Assert.Equal(4096, await Storage.ReadAsync(name, content.Length - 4096, tail));
        Assert.True(content.AsSpan(content.Length - 4096).SequenceEqual(tail));
    }

    [Fact]
    public async Task Write_FromContentReadInPieces_RoundTripsAndReplaces()
    {
        var name = NewName(ObjectKind.Pack);
        await Storage.WriteAsync(name, RandomBytes(1000, 30));
        var content = RandomBytes((5 * 1024 * 1024) + 17, 31);

        await Storage.WriteAsync(name, new ChoppyContent(content));

        Assert.Equal(new StoredObject(name, content.Length), await Storage.StatAsync(name));
        var read = await Storage.ReadAllAsync(name);
        Assert.True(content.AsSpan().SequenceEqual(read), "the object written from content reads back different");
        Assert.Single(await ListAll(ObjectKind.Pack));
    }

    [Fact]
    public async Task Write_FromEmptyContent_RoundTrips()
    {
        var name = NewName(ObjectKind.Index);

        await Storage.WriteAsync(name, new ChoppyContent([]));

        Assert.Equal(new StoredObject(name, 0), await Storage.StatAsync(name));
    }

    [Fact]
    public async Task Write_FromContent_Cancelled_LeavesNoObject()
    {
        var name = NewName(ObjectKind.Pack);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Storage.WriteAsync(name, new ChoppyContent(RandomBytes(100_000, 32)), cancelled.Token));

        Assert.Null(await Storage.StatAsync(name));
        Assert.Empty(await ListAll(ObjectKind.Pack));
    }

    [Fact]
    public async Task ReadExactly_WholeRange_FillsTheBuffer()
    {
        var name = NewName(ObjectKind.Pack);
        var content = RandomBytes(100, 12);
        await Storage.WriteAsync(name, content);

        var buffer = new byte[20];
        await Storage.ReadExactlyAsync(name, 80, buffer);

        Assert.Equal(content.AsSpan(80).ToArray(), buffer);
    }

    [Fact]
    public async Task ReadExactly_ObjectShorterThanTheRange_ThrowsTruncated()
    {
        var name = NewName(ObjectKind.Pack);
        await Storage.WriteAsync(name, RandomBytes(100, 13));

        var e = await Assert.ThrowsAsync<StorageException>(() => Storage.ReadExactlyAsync(name, 80, new byte[50]));

        Assert.Equal(StorageErrorKind.Permanent, e.Kind);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadExactly_MissingObject_ThrowsNotFound()
    {
        var e = await Assert.ThrowsAsync<StorageException>(() => Storage.ReadExactlyAsync(NewName(ObjectKind.Pack), 0, new byte[1]));

        Assert.Equal(StorageErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task ReadAll_ReturnsTheWholeObject()
    {
        var name = NewName(ObjectKind.Snapshot);
        var content = RandomBytes(123_457, 14);
        await Storage.WriteAsync(name, content);

        Assert.Equal(content, await Storage.ReadAllAsync(name));
    }

    [Fact]
    public async Task ReadAll_MissingObject_ThrowsNotFound()
    {
        var e = await Assert.ThrowsAsync<StorageException>(() => Storage.ReadAllAsync(NewName(ObjectKind.Key)));

        Assert.Equal(StorageErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task Create_Repeated_KeepsExistingObjects()
    {
        var name = NewName(ObjectKind.Key);
        var content = RandomBytes(64, 15);
        await Storage.WriteAsync(name, content);

        await Storage.CreateAsync();

        Assert.Equal(content, await Storage.ReadAllAsync(name));
    }

    [Fact]
    public void Location_IsNotEmpty()
    {
        Assert.False(string.IsNullOrWhiteSpace(Storage.Location));
    }
}
