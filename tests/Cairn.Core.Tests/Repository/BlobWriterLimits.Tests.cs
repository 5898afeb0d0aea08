using System.Text;
using Cairn.Core.Compression;
using Cairn.Core.Crypto;
using Cairn.Core.Format;
using Cairn.Core.Repository;
using Cairn.Storage;

namespace Cairn.Core.Tests.Repository;

/// <summary>How many blobs a <see cref="BlobWriter"/> puts into one pack and one index file, for blobs as small as one-line files.</summary>
public sealed class BlobWriterLimitsTests
{
    [Fact]
    public async Task A_backup_of_tiny_blobs_writes_an_index_file_once_its_packs_hold_a_full_files_blobs()
    {
        // 100,000 blobs of 16 bytes in packs of 1 MiB (~11,600 blobs a pack): nine packs, far fewer than the 64 that
        // make an index file, but the sixth brings the blobs not yet indexed past 65,536, and the rest go at the flush.
        var storage = new MemoryStorage();
        await using var repository = await WriteAsync(storage, 100_000, packSize: 1024 * 1024);

        var files = (await IndexFilesAsync(storage, repository.Keys)).Select(f => f.Sum()).Order().ToList();

        Assert.Equal(2, files.Count);
        Assert.Equal(100_000, files.Sum());
        Assert.InRange(files[0], 1, IndexFileSize.FullBlobs - 1); // the flush's
        Assert.InRange(files[1], IndexFileSize.FullBlobs, IndexFileSize.FullBlobs + 12_000); // full with its last pack
    }

    [Fact]
    public async Task A_pack_holds_at_most_its_count_of_blobs_however_small_they_are()
    {
        // 16 MiB packs have room for ~180,000 such blobs.
        var storage = new MemoryStorage();
        await using var repository = await WriteAsync(storage, 2 * BlobWriter.MaxPackBlobs + 100, packSize: 16 * 1024 * 1024);

        var packs = (await IndexFilesAsync(storage, repository.Keys)).SelectMany(f => f).Order().ToArray();

        Assert.Equal([100, BlobWriter.MaxPackBlobs, BlobWriter.MaxPackBlobs], packs);
    }

    /// <summary>Writes <paramref name="count"/> random data blobs of 16 bytes, uncompressed, into a new repository in <paramref name="storage"/>.</summary>
    private static async Task<Core.Repository.Repository> WriteAsync(MemoryStorage storage, int count, int packSize)
    {
        var options = new RepositoryInitOptions { PackSize = packSize, Kdf = KdfParameters.Minimum };
        var repository = await Core.Repository.Repository.InitAsync(storage, Encoding.UTF8.GetBytes("pw"), options);
        await using (var writer = new BlobWriter(repository, CompressionSetting.Off, workers: 2, verifyDedup: false, CancellationToken.None))
        {
            var random = new Random(11);
            for (var i = 0; i < count; i++)
            {
                var (id, buffer) = RandomBlob.Make(writer, random, 16);
                await writer.SaveAsync(BlobType.Data, id, buffer, 16);
            }
            await writer.FlushAsync();
        }
        return repository;
    }

    /// <summary>Each index file's packs, as their counts of blobs.</summary>
    private static async Task<List<List<int>>> IndexFilesAsync(MemoryStorage storage, KeyRing keys)
    {
        var files = new List<List<int>>();
        await foreach (var index in storage.ListAsync(ObjectKind.Index))
        {
            var packs = new List<int>();
            IndexFormat.Decode(keys, await storage.ReadAllAsync(index.Name), index.Name.ToString(), (_, entries) => packs.Add(entries.Count));
            files.Add(packs);
        }
        return files;
    }
}
