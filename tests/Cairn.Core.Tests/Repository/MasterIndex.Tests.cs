using System.Security.Cryptography;
using Cairn.Core.Format;
using Cairn.Core.Repository;

namespace Cairn.Core.Tests.Repository;

/// <summary>Runs alone: the memory measurement reads the whole process's heap.</summary>
[CollectionDefinition(nameof(MasterIndexTests), DisableParallelization = true)]
public sealed class MasterIndexMemoryCollection;

[Collection(nameof(MasterIndexTests))]
public sealed class MasterIndexTests
{
    private static BlobId RandomId() => new(new Digest(RandomNumberGenerator.GetBytes(32)));

    private static PackId RandomPack() => new(new Digest(RandomNumberGenerator.GetBytes(32)));

    [Fact]
    public void FindsEveryBlobWhereItsFirstPackPutIt()
    {
        var index = new MasterIndex();
        var ids = Enumerable.Range(0, 50_000).Select(_ => RandomId()).ToArray();
        var packs = new List<PackId>();
        for (var p = 0; p < 50; p++)
        {
            var pack = RandomPack();
            packs.Add(pack);
            index.AddPack(pack, ids.Skip(p * 1000).Take(1000).Select((id, i) =>
                new PackEntry(id, i % 7 == 0 ? BlobType.Tree : BlobType.Data, i % 2 == 0 ? CompressionKind.Zstd : CompressionKind.None, (uint)(i * 100), (uint)(90 + i), (uint)(200 + i))));
        }
        // A second pack repeating blobs of the first: the first location wins.
        index.AddPack(RandomPack(), ids.Take(10).Select(id => new PackEntry(id, BlobType.Data, CompressionKind.None, 1, 2, 3)));

        Assert.Equal(50_000, index.BlobCount);
        Assert.Equal(51, index.PackCount);
        for (var n = 0; n < ids.Length; n++)
        {
            Assert.True(index.TryGet(ids[n], out var e));
            var i = n % 1000;
            Assert.Equal(packs[n / 1000], index.PackOf(e));
            Assert.Equal((uint)(i * 100), e.Offset);
            Assert.Equal((uint)(90 + i), e.StoredLength);
            Assert.Equal((uint)(200 + i), e.RawLength);
            Assert.Equal(i % 7 == 0 ? BlobType.Tree : BlobType.Data, e.Type);
            Assert.Equal(i % 2 == 0 ? CompressionKind.Zstd : CompressionKind.None, e.Compression);
        }
        Assert.False(index.Contains(RandomId()));
        Assert.Equal(50_000, index.Entries().Count());
    }

    [Fact]
    public void CostsLessThan64BytesPerBlob()
    {
        const int blobs = 1_000_000;
        var entries = new PackEntry[1000];
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var index = new MasterIndex();
        for (var p = 0; p < blobs / entries.Length; p++)
        {
            for (var i = 0; i < entries.Length; i++)
                entries[i] = new PackEntry(RandomId(), BlobType.Data, CompressionKind.Zstd, (uint)i, 1000, 2000);
            index.AddPack(RandomPack(), entries);
        }
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(index);
        var perBlob = (double)(after - before) / blobs;
        Assert.True(perBlob < 64, $"{perBlob:0.0} bytes per blob");
    }
}
