using System.Text;
using Cairn.Core.Compression;
using Cairn.Core.Crypto;
using Cairn.Core.Format;
using Cairn.Core.Repository;
using Cairn.Storage;

namespace Cairn.Core.Tests.Repository;

public sealed class BlobWriterFailureTests
{
    [Fact]
    public async Task Flush_ends_with_the_upload_failure_when_the_last_uploader_fails_while_the_queue_is_full()
    {
        var storage = new GatedFailingStorage();
        var options = new RepositoryInitOptions { PackSize = 256 * 1024, Kdf = KdfParameters.Minimum };
        await using var repository = await Core.Repository.Repository.InitAsync(storage, Encoding.UTF8.GetBytes("pw"), options);
        await using var writer = new BlobWriter(repository, CompressionSetting.Off, workers: 1, verifyDedup: false, CancellationToken.None);

        // 100 KiB blobs, two to a pack: the fifth closes the second pack, which waits in the queue behind the first,
        // held by the only uploader, and the fifth stays open for the flush to hand over.
        var random = new Random(5);
        for (var i = 0; i < 5; i++)
        {
            var (id, buffer) = RandomBlob.Make(writer, random, 100 * 1024);
            await writer.SaveAsync(BlobType.Data, id, buffer, 100 * 1024);
        }
        var flush = writer.FlushAsync();
        await Task.Delay(200);
        Assert.False(flush.IsCompleted, "the flush ended while the first pack was still uploading");
        Assert.Equal(1, storage.PackWritesStarted);

        storage.Fail();
        var failure = await Assert.ThrowsAsync<StorageException>(() => flush.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("the server went away", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_save_cancelled_before_its_blob_was_queued_leaves_the_blob_not_pending()
    {
        var storage = new GatedFailingStorage();
        var options = new RepositoryInitOptions { PackSize = 256 * 1024, Kdf = KdfParameters.Minimum };
        await using var repository = await Core.Repository.Repository.InitAsync(storage, Encoding.UTF8.GetBytes("pw"), options);
        await using var writer = new BlobWriter(repository, CompressionSetting.Off, workers: 1, verifyDedup: false, CancellationToken.None);

        // Pack writes never finish: once the upload queue and the job queue are full, a save waits for room, and
        // its caller gives up.
        var random = new Random(6);
        BlobId? cancelled = null;
        for (var i = 0; i < 50 && cancelled is null; i++)
        {
            var (id, buffer) = RandomBlob.Make(writer, random, 100 * 1024);
            using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                await writer.SaveAsync(BlobType.Data, id, buffer, 100 * 1024, giveUp.Token);
                Assert.True(writer.Has(id));
            }
            catch (OperationCanceledException)
            {
                cancelled = id;
            }
        }

        Assert.NotNull(cancelled);
        Assert.False(writer.Has(cancelled.Value), "a blob whose save was given up before it was queued is still taken as pending");
    }
}
