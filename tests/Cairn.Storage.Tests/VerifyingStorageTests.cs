namespace Cairn.Storage.Tests;

public sealed class VerifyingStorageTests
{
    [Fact]
    public async Task A_bad_write_is_written_again_until_it_reads_back_right()
    {
        var media = new CorruptingStorage { BadWritesLeft = VerifyingStorage.Attempts - 1 };

        await new VerifyingStorage(media).WriteAsync(ObjectName.Config, new byte[] { 1, 2, 3 });

        Assert.Equal([1, 2, 3], await media.ReadAllAsync(ObjectName.Config));
    }

    [Fact]
    public async Task Media_that_keep_writing_wrong_fail_the_write_as_transient()
    {
        var media = new CorruptingStorage { BadWritesLeft = VerifyingStorage.Attempts };

        var e = await Assert.ThrowsAsync<StorageException>(() => new VerifyingStorage(media).WriteAsync(ObjectName.Config, new byte[] { 1, 2, 3 }));

        Assert.Equal(StorageErrorKind.Transient, e.Kind);
        Assert.Equal("config was written but reads back different", e.Message);
    }
}
