using System.Text;
using Cairn.Core.Compression;
using Cairn.Core.Crypto;
using Cairn.Core.Format;
using Cairn.Core.Repository;

namespace Cairn.Core.Tests.Repository;

public sealed class BlobWriterUploadersTests
{
    [Fact]
    public async Task Packs_are_stored_by_uploader_threads_outside_the_thread_pool()
    {
        // A local store's commit blocks in fsync: on a pool thread that would take a thread from compression.
        var storage = new ThreadRecordingStorage();
        var options = new RepositoryInitOptions { PackSize = 256 * 1024, Kdf = KdfParameters.Minimum };
        await using var repository = await Core.Repository.Repository.InitAsync(storage, Encoding.UTF8.GetBytes("pw"), options);
        await using (var writer = new BlobWriter(repository, CompressionSetting.Off, workers: 2, verifyDedup: false, CancellationToken.None))
        {
            // 100 KiB blobs, two to a pack: nine packs full before the flush, which hands over the tenth.
            var random = new Random(7);
            for (var i = 0; i < 20; i++)
            {
                var (id, buffer) = RandomBlob.Make(writer, random, 100 * 1024);
                await writer.SaveAsync(BlobType.Data, id, buffer, 100 * 1024);
            }
            await writer.FlushAsync();
        }

        Assert.Equal(10, storage.PacksStored);
        Assert.Equal(0, storage.PacksStoredOnPoolThreads);
    }
}
