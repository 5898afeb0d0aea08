namespace Cairn.Storage.Tests;

public sealed class RetryingStorageTests
{
    private static RetryingStorage Retrying(FlakyStorage inner, List<TimeSpan> waits, TimeSpan? giveUp = null) => new(inner)
    {
        FirstDelay = TimeSpan.FromMilliseconds(8),
        MaxDelay = TimeSpan.FromMilliseconds(40),
        GiveUpAfter = giveUp ?? TimeSpan.FromSeconds(10),
        Retrying = (_, wait) => waits.Add(wait),
    };

    [Fact]
    public async Task TransientFailures_AfterTheStoreAnswered_AreRetriedWithGrowingJitteredWaits()
    {
        var inner = new FlakyStorage();
        var waits = new List<TimeSpan>();
        var storage = Retrying(inner, waits);
        await storage.WriteAsync(ObjectName.Config, new byte[] { 1 });

        inner.FailuresLeft = 5;
        Assert.Equal([1], await storage.ReadAllAsync(ObjectName.Config));

        Assert.Equal(5, waits.Count);
        for (var i = 0; i < waits.Count; i++)
        {
            var nominal = Math.Min(8 << i, 40);
            Assert.InRange(waits[i].TotalMilliseconds, nominal / 2.0, nominal);
        }
    }

    [Fact]
    public async Task TransientFailure_BeforeTheStoreEverAnswered_FailsAtOnce()
    {
        var inner = new FlakyStorage { FailuresLeft = 1 };
        var waits = new List<TimeSpan>();

        var e = await Assert.ThrowsAsync<StorageException>(() => Retrying(inner, waits).StatAsync(ObjectName.Config));

        Assert.Equal(StorageErrorKind.Transient, e.Kind);
        Assert.Empty(waits);
    }

    [Fact]
    public async Task PermanentFailures_AreNotRetried()
    {
        var inner = new FlakyStorage();
        var waits = new List<TimeSpan>();
        var storage = Retrying(inner, waits);
        await storage.CreateAsync();
        inner.FailuresLeft = 1;
        inner.FailureKind = StorageErrorKind.Permanent;

        await Assert.ThrowsAsync<StorageException>(() => storage.DeleteAsync(ObjectName.Config));

        Assert.Empty(waits);
    }

    [Fact]
    public async Task Retrying_StopsAfterTheGiveUpTime_SayingHowLongItTried()
    {
        var inner = new FlakyStorage();
        var storage = Retrying(inner, [], giveUp: TimeSpan.FromMilliseconds(200));
        await storage.CreateAsync();
        inner.FailuresLeft = int.MaxValue;

        var e = await Assert.ThrowsAsync<StorageException>(() => storage.StatAsync(ObjectName.Config));

        Assert.Equal(StorageErrorKind.Transient, e.Kind);
        Assert.Contains("gave up after retrying for", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listing_that_fails_is_listed_again_whole()
    {
        var inner = new FlakyStorage();
        var storage = Retrying(inner, []);
        await storage.WriteAsync(new ObjectName(ObjectKind.Snapshot, "aa"), new byte[] { 1 });
        inner.FailuresLeft = 2;

        var listed = new List<StoredObject>();
        await foreach (var o in storage.ListAsync(ObjectKind.Snapshot))
            listed.Add(o);

        Assert.Single(listed);
    }

    [Fact]
    public async Task Content_written_in_pieces_is_read_again_from_the_start_on_each_try()
    {
        var inner = new FlakyStorage();
        var storage = Retrying(inner, []);
        await storage.WriteAsync(ObjectName.Config, new byte[] { 1 });
        var bytes = new byte[250_000];
        new Random(4).NextBytes(bytes);
        var content = new ChoppyContent(bytes);
        var name = new ObjectName(ObjectKind.Pack, "bb");

        inner.FailuresLeft = 2;
        await storage.WriteAsync(name, content);

        Assert.Equal(bytes, await inner.ReadAllAsync(name));
    }
}
