using System.Text;
using Cairn.Core.Buffers;
using Cairn.Core.Compression;
using Cairn.Core.Crypto;
using Cairn.Core.Format;
using Cairn.Core.Repository;
using Cairn.Core.Tests.Archive;
using Cairn.Storage;

namespace Cairn.Core.Tests.Repository;

/// <summary>Packs built in drafts on a local store (never whole in memory): named after their bytes, within the pack size, every blob readable.</summary>
public sealed class BlobWriterDraftTests
{
    [Fact]
    public async Task Packs_built_in_drafts_are_named_after_their_bytes_and_hold_every_blob()
    {
        using var scratch = new ScratchDirectory();
        var storage = new LocalStorage(scratch.Path);
        const int packSize = 256 * 1024;
        var options = new RepositoryInitOptions { PackSize = packSize, Kdf = KdfParameters.Minimum };
        await using var repository = await Core.Repository.Repository.InitAsync(storage, Encoding.UTF8.GetBytes("pw"), options);
        var saved = new Dictionary<BlobId, byte[]>();
        await using (var writer = new BlobWriter(repository, CompressionSetting.AutoDefault, workers: 2, verifyDedup: false, CancellationToken.None))
        {
            // Random blobs (stored as they are) and text (compressed), 10-90 KiB: several packs, both kinds of body.
            var random = new Random(11);
            for (var i = 0; i < 40; i++)
            {
                var length = random.Next(10_000, 90_000);
                var buffer = BufferPool.Shared.Rent(length);
                if (i % 2 == 0)
                    random.NextBytes(buffer.AsSpan(0, length));
                else
                    Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat($"line {i} of some text ", length / 20 + 1)).AsSpan(0, length), buffer);
                var id = writer.IdOf(BlobType.Data, buffer.AsSpan(0, length));
                saved[id] = buffer.AsSpan(0, length).ToArray();
                await writer.SaveAsync(BlobType.Data, id, buffer, length);
            }
            await writer.FlushAsync();
        }

        var packs = 0;
        await foreach (var pack in storage.ListAsync(ObjectKind.Pack))
        {
            packs++;
            var bytes = await storage.ReadAllAsync(pack.Name);
            Assert.Equal(pack.Name.Name, Digest.OfContent(bytes).ToString());
            Assert.True(bytes.Length <= packSize, $"a pack of {bytes.Length} bytes");
        }
        Assert.True(packs >= 4, $"{packs} packs");
        Assert.Empty(Directory.GetFiles(scratch.Path, ".tmp-*", SearchOption.AllDirectories));
        foreach (var (id, content) in saved)
            Assert.Equal(content, await repository.LoadBlobAsync(id));
    }
}
