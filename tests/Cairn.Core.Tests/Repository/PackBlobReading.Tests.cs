using System.Collections.Concurrent;
using System.Text;
using Cairn.Core.Buffers;
using Cairn.Core.Compression;
using Cairn.Core.Crypto;
using Cairn.Core.Format;
using Cairn.Core.Repository;
using Cairn.Storage;

namespace Cairn.Core.Tests.Repository;

/// <summary>
/// Blobs read a pack at a time, as restore reads them: each is opened where it lies in the run that was read
/// (decrypted in place), compressed and uncompressed alike, and a damaged one fails alone.
/// </summary>
public sealed class PackBlobReadingTests
{
    private static async Task<(Core.Repository.Repository Repository, MemoryStorage Storage, Dictionary<BlobId, byte[]> Blobs)> OnePackAsync()
    {
        var storage = new MemoryStorage();
        var repository = await Core.Repository.Repository.InitAsync(storage, Encoding.UTF8.GetBytes("pw"), new RepositoryInitOptions { Kdf = KdfParameters.Minimum });
        var blobs = new Dictionary<BlobId, byte[]>();
        await using (var writer = new BlobWriter(repository, CompressionSetting.AutoDefault, workers: 1, verifyDedup: false, CancellationToken.None))
        {
            // Text compresses (stored as zstd); random bytes do not (stored as they are).
            foreach (var plain in new[] { TestData.Text(5_000), TestData.RandomBytes(70_000, 1), TestData.Text(300_000), TestData.RandomBytes(10, 2) })
            {
                var id = writer.IdOf(BlobType.Data, plain);
                var buffer = BufferPool.Shared.Rent(plain.Length);
                plain.CopyTo(buffer, 0);
                await writer.SaveAsync(BlobType.Data, id, buffer, plain.Length);
                blobs[id] = plain;
            }
            await writer.FlushAsync();
        }
        return (repository, storage, blobs);
    }

    private static PackId PackOf(Core.Repository.Repository repository, BlobId id)
    {
        Assert.True(repository.Index.TryGet(id, out var entry));
        return repository.Index.PackOf(entry);
    }

    [Fact]
    public async Task Every_blob_named_is_delivered_once_with_its_plaintext_whether_it_was_compressed_or_not()
    {
        var (repository, _, blobs) = await OnePackAsync();
        await using var _ = repository;
        var compressions = blobs.Keys.Select(id => repository.Index.TryGet(id, out var e) ? e.Compression : (CompressionKind?)null).ToHashSet();
        Assert.Equal(new HashSet<CompressionKind?> { CompressionKind.None, CompressionKind.Zstd }, compressions);
        var pack = PackOf(repository, blobs.Keys.First());
        var named = blobs.Keys.Concat(blobs.Keys.Take(2)).ToList();
        var delivered = new ConcurrentDictionary<BlobId, List<byte[]>>();
        var failures = new List<BlobId>();

        await repository.ReadPackBlobsAsync(pack, named, (id, plain) =>
        {
            delivered.GetOrAdd(id, _ => []).Add(plain.ToArray());
            return ValueTask.CompletedTask;
        }, (id, _) => failures.Add(id));

        Assert.Empty(failures);
        Assert.Equal(blobs.Count, delivered.Count);
        foreach (var (id, plain) in blobs)
            Assert.Equal(plain, Assert.Single(delivered[id]));
    }

    [Fact]
    public async Task A_damaged_blob_fails_alone_and_its_neighbours_in_the_same_read_are_delivered()
    {
        var (repository, storage, blobs) = await OnePackAsync();
        await using var _ = repository;
        var damaged = blobs.Keys.First(id => repository.Index.TryGet(id, out var e) && e.Compression == CompressionKind.Zstd);
        Assert.True(repository.Index.TryGet(damaged, out var entry));
        var pack = PackOf(repository, damaged);
        storage.Tamper(Core.Repository.Repository.PackName(pack), bytes =>
        {
            bytes[entry.Offset + entry.StoredLength / 2] ^= 0x40;
            return bytes;
        });
        var delivered = new ConcurrentDictionary<BlobId, byte[]>();
        var failures = new ConcurrentDictionary<BlobId, Exception>();

        await repository.ReadPackBlobsAsync(pack, [.. blobs.Keys], (id, plain) =>
        {
            delivered[id] = plain.ToArray();
            return ValueTask.CompletedTask;
        }, (id, e) => failures[id] = e);

        var failure = Assert.Single(failures);
        Assert.Equal(damaged, failure.Key);
        Assert.IsType<RepositoryCorruptException>(failure.Value);
        Assert.Contains("failed authentication", failure.Value.Message, StringComparison.Ordinal);
        Assert.Equal(blobs.Count - 1, delivered.Count);
        foreach (var (id, plain) in delivered)
            Assert.Equal(blobs[id], plain);
    }
}
