using System.Text;
using Cairn.Core.Compression;
using Cairn.Core.Crypto;
using Cairn.Core.Format;
using Cairn.Core.Repository;
using Cairn.Storage;

namespace Cairn.Core.Tests.Repository;

public sealed class BlobWriterIndexFilesTests
{
    [Fact]
    public async Task A_backup_of_tiny_blobs_writes_an_index_file_once_its_packs_hold_a_full_files_blobs()
    {
        // 100,000 blobs of 16 bytes in packs of 1 MiB (~11,600 blobs a pack): nine packs, far fewer than the 64 that
        // make an index file, but the sixth brings the blobs not yet indexed past 65,536, and the rest go at the flush.
        var storage = new MemoryStorage();
        var options = new RepositoryInitOptions { PackSize = 1024 * 1024, Kdf = KdfParameters.Minimum };
        await using var repository = await Core.Repository.Repository.InitAsync(storage, Encoding.UTF8.GetBytes("pw"), options);
        await using (var writer = new BlobWriter(repository, CompressionSetting.Off, workers: 2, verifyDedup: false, CancellationToken.None))
        {
            var random = new Random(11);
            for (var i = 0; i < 100_000; i++)
            {
                var (id, buffer) = RandomBlob.Make(writer, random, 16);
                await writer.SaveAsync(BlobType.Data, id, buffer, 16);
            }
            await writer.FlushAsync();
        }

        var files = new List<(int Packs, int Blobs)>();
        await foreach (var index in storage.ListAsync(ObjectKind.Index))
        {
            var (packs, blobs) = (0, 0);
            IndexFormat.Decode(repository.Keys, await storage.ReadAllAsync(index.Name), index.Name.ToString(), (_, entries) =>
            {
                packs++;
                blobs += entries.Count;
            });
            files.Add((packs, blobs));
        }
        files.Sort((a, b) => a.Blobs.CompareTo(b.Blobs));
        Assert.Equal(2, files.Count);
        Assert.Equal(100_000, files.Sum(f => f.Blobs));
        Assert.InRange(files[0].Blobs, 1, IndexFileSize.FullBlobs - 1); // the flush's
        Assert.InRange(files[1].Blobs, IndexFileSize.FullBlobs, IndexFileSize.FullBlobs + 12_000); // full with its last pack
    }
}
