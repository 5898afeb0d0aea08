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

    [Fact]
    public async Task Content_read_in_pieces_is_compared_in_pieces_and_written_again_when_it_reads_back_wrong()
    {
        var media = new CorruptingStorage { BadWritesLeft = VerifyingStorage.Attempts - 1 };
        var bytes = new byte[(3 * 1024 * 1024) + 5];
        new Random(3).NextBytes(bytes);
        var name = new ObjectName(ObjectKind.Pack, "aa");

        await new VerifyingStorage(media).WriteAsync(name, new ChoppyContent(bytes));

        Assert.Equal(bytes, await media.ReadAllAsync(name));
    }

    [Fact]
    public async Task Content_that_keeps_reading_back_wrong_fails_the_write_as_transient()
    {
        var media = new CorruptingStorage { BadWritesLeft = VerifyingStorage.Attempts };

        var e = await Assert.ThrowsAsync<StorageException>(() => new VerifyingStorage(media).WriteAsync(ObjectName.Config, new ChoppyContent([1, 2, 3])));

        Assert.Equal("config was written but reads back different", e.Message);
    }
}
