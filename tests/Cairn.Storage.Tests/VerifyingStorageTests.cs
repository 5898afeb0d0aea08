namespace Cairn.Storage.Tests;

public sealed class VerifyingStorageTests
{
    [Fact]
    public async Task A_write_that_reads_back_different_fails_as_transient()
    {
        var media = new CorruptingStorage { BadWritesLeft = 1 };

        var e = await Assert.ThrowsAsync<StorageException>(() => new VerifyingStorage(media).WriteAsync(ObjectName.Config, new byte[] { 1, 2, 3 }));

        Assert.Equal(StorageErrorKind.Transient, e.Kind);
        Assert.Equal("config was written but reads back different", e.Message);
    }

    [Fact]
    public async Task Under_the_retry_layer_a_bad_write_is_written_again()
    {
        var media = new CorruptingStorage { BadWritesLeft = 2 };
        var retries = 0;
        var storage = new RetryingStorage(new VerifyingStorage(media))
        {
            FirstDelay = TimeSpan.FromMilliseconds(1),
            OnlyAfterFirstSuccess = false,
            Retrying = (_, _) => retries++,
        };

        await storage.WriteAsync(ObjectName.Config, new byte[] { 1, 2, 3 });

        Assert.Equal(2, retries);
        Assert.Equal([1, 2, 3], await media.ReadAllAsync(ObjectName.Config));
    }
}
