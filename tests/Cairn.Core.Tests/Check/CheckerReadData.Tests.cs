using System.Text;
using Cairn.Core.Buffers;
using Cairn.Core.Check;
using Cairn.Core.Compression;
using Cairn.Core.Crypto;
using Cairn.Core.Format;
using Cairn.Core.Repository;
using Cairn.Storage;

namespace Cairn.Core.Tests.Check;

/// <summary><c>check --read-data</c> reads a pack in windows of a few MiB: every blob checked, damage found in any window.</summary>
public sealed class CheckerReadDataTests
{
    private const int BlobLength = 1024 * 1024;
    private const int BlobCount = 12; // one pack of ~12 MiB: three windows and more

    private static async Task<(Core.Repository.Repository Repository, MemoryStorage Storage, ObjectName Pack)> OnePackRepositoryAsync()
    {
        var storage = new MemoryStorage();
        var repository = await Core.Repository.Repository.InitAsync(storage, Encoding.UTF8.GetBytes("pw"), new RepositoryInitOptions { Kdf = KdfParameters.Minimum });
        await using (var writer = new BlobWriter(repository, CompressionSetting.Off, workers: 2, verifyDedup: false, CancellationToken.None))
        {
            var random = new Random(21);
            for (var i = 0; i < BlobCount; i++)
            {
                var buffer = BufferPool.Shared.Rent(BlobLength);
                random.NextBytes(buffer.AsSpan(0, BlobLength));
                await writer.SaveAsync(BlobType.Data, writer.IdOf(BlobType.Data, buffer.AsSpan(0, BlobLength)), buffer, BlobLength);
            }
            await writer.FlushAsync();
        }
        var packs = new List<ObjectName>();
        await foreach (var o in storage.ListAsync(ObjectKind.Pack))
            packs.Add(o.Name);
        return (repository, storage, Assert.Single(packs));
    }

    private static async Task<CheckResult> ReadAllDataAsync(Core.Repository.Repository repository) =>
        await new Checker(repository, new CheckOptions(ReadDataPercent: 100)).RunAsync();

    [Fact]
    public async Task A_healthy_pack_read_in_windows_has_no_errors()
    {
        var (repository, _, _) = await OnePackRepositoryAsync();
        await using (repository)
        {
            var result = await ReadAllDataAsync(repository);
            Assert.Empty(result.Errors);
            Assert.Equal(1, result.PacksRead);
            Assert.Equal(BlobCount, result.Blobs);
        }
    }

    [Fact]
    public async Task A_flipped_bit_in_a_later_window_names_the_pack_and_only_the_blob_it_hit()
    {
        var (repository, storage, pack) = await OnePackRepositoryAsync();
        await using (repository)
        {
            var bytes = await storage.ReadAllAsync(pack);
            const int hit = 9 * BlobLength + 12345;
            bytes[hit] ^= 0x10;
            await storage.WriteAsync(pack, bytes);

            var result = await ReadAllDataAsync(repository);

            Assert.Contains(result.Errors, e => e.Object == pack.ToString() && e.Message.Contains("does not match its name", StringComparison.Ordinal));
            var damaged = repository.Index.Entries().Where(e => e.Value.Offset <= hit && hit < e.Value.Offset + e.Value.StoredLength).Select(e => e.Key).Single();
            var blobErrors = result.Errors.Where(e => e.Message.Contains("blob", StringComparison.Ordinal)).ToList();
            Assert.Contains(damaged.Digest.Short, Assert.Single(blobErrors).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_index_entry_overlapping_a_blob_fails_alone_though_blobs_are_opened_in_place()
    {
        var (repository, _, pack) = await OnePackRepositoryAsync();
        await using (repository)
        {
            // A damaged index: an entry that starts inside one blob and runs into the next. Opened in place first,
            // it fails and clears its bytes; the blob it runs into must then be read on its own, not from those.
            var blobs = repository.Index.Entries().OrderBy(e => e.Value.Offset).ToList();
            var (_, next) = blobs[5];
            var bogus = new BlobId(new Digest(TestData.RandomBytes(32, 77)));
            var packId = repository.Index.PackOf(next);
            repository.Index.AddPack(packId, [new PackEntry(bogus, BlobType.Data, CompressionKind.None, next.Offset - 1000, 3000, 3000 - SealedBox.Overhead)]);

            var result = await ReadAllDataAsync(repository);

            var blobErrors = result.Errors.Where(e => e.Message.Contains("blob", StringComparison.Ordinal)).ToList();
            Assert.Contains(bogus.Digest.Short, Assert.Single(blobErrors).Message, StringComparison.Ordinal);
            Assert.DoesNotContain(result.Errors, e => e.Object == pack.ToString() && e.Message.Contains("does not match its name", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_truncated_pack_reports_the_blobs_past_its_end_and_reads_those_before()
    {
        var (repository, storage, pack) = await OnePackRepositoryAsync();
        await using (repository)
        {
            var bytes = await storage.ReadAllAsync(pack);
            const int kept = 9 * BlobLength;
            await storage.WriteAsync(pack, bytes.AsMemory(0, kept));

            var result = await ReadAllDataAsync(repository);

            var beyond = repository.Index.Entries().Count(e => e.Value.Offset + e.Value.StoredLength > kept);
            Assert.InRange(beyond, 3, BlobCount - 1);
            Assert.Equal(beyond, result.Errors.Count(e => e.Message.Contains("lies beyond the end of the pack", StringComparison.Ordinal)));
            Assert.DoesNotContain(result.Errors, e => e.Message.Contains("authentication", StringComparison.OrdinalIgnoreCase));
        }
    }
}
