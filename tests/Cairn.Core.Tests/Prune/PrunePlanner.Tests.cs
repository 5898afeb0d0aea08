using Cairn.Core.Compression;
using Cairn.Core.Format;
using Cairn.Core.Prune;

namespace Cairn.Core.Tests.Prune;

public sealed class PrunePlannerTests
{
    private static int _next;

    private static BlobId NewBlob()
    {
        Span<byte> bytes = stackalloc byte[32];
        BitConverter.TryWriteBytes(bytes, Interlocked.Increment(ref _next));
        return new BlobId(new Digest(bytes));
    }

    private static PackId NewPack() => new(NewBlob().Digest);

    private static PackEntry Entry(BlobId id, uint length) => new(id, BlobType.Data, CompressionKind.None, 0, length, length);

    /// <summary>A used set from blob IDs, through a snapshot-free path: every blob given is in use.</summary>
    private static UsedBlobs Used(params BlobId[] ids)
    {
        var used = new UsedBlobs();
        foreach (var id in ids)
            used.MarkUsed(id);
        return used;
    }

    [Fact]
    public void Packs_without_used_blobs_are_deleted_and_full_ones_kept()
    {
        var (a, b, c) = (NewBlob(), NewBlob(), NewBlob());
        var (full, empty) = (NewPack(), NewPack());
        var table = new PackTable();
        table.Add(full, [Entry(a, 100), Entry(b, 100)]);
        table.Add(empty, [Entry(c, 100)]);
        var plan = PrunePlanner.Plan(table, Used(a, b), new Dictionary<PackId, long> { [full] = 250, [empty] = 150 }, PruneLimit.Default, long.MaxValue);
        Assert.Equal([empty], plan.Delete);
        Assert.Empty(plan.Repack);
        Assert.Equal(1, plan.Keep);
        Assert.Equal(150, plan.FreedBytes);
    }

    [Fact]
    public void A_blob_stored_twice_is_kept_once_so_the_emptier_pack_goes()
    {
        var (a, b) = (NewBlob(), NewBlob());
        var (both, duplicate) = (NewPack(), NewPack());
        var table = new PackTable();
        table.Add(both, [Entry(a, 100), Entry(b, 100)]);
        table.Add(duplicate, [Entry(a, 100)]);
        var plan = PrunePlanner.Plan(table, Used(a, b), new Dictionary<PackId, long> { [both] = 250, [duplicate] = 150 }, PruneLimit.None, long.MaxValue);
        Assert.Equal([duplicate], plan.Delete);
        Assert.Empty(plan.Repack);
    }

    [Fact]
    public void Packs_are_repacked_emptiest_first_until_the_unused_share_is_within_the_limit()
    {
        var used = new List<BlobId>();
        var table = new PackTable();
        var sizes = new Dictionary<PackId, long>();
        var packs = new List<PackId>();
        // Four packs of 1000 bytes holding 900, 700, 500 and 300 used bytes.
        foreach (var usedBytes in new uint[] { 900, 700, 500, 300 })
        {
            var (u, x) = (NewBlob(), NewBlob());
            used.Add(u);
            var pack = NewPack();
            table.Add(pack, [Entry(u, usedBytes), Entry(x, 1000 - usedBytes)]);
            sizes[pack] = 1000;
            packs.Add(pack);
        }
        // 2400 used, 1600 unused: 25 % of the kept data may be unused, i.e. at most 800 bytes.
        var plan = PrunePlanner.Plan(table, Used([.. used]), sizes, new PruneLimit(25, null), long.MaxValue);
        Assert.Equal([packs[3], packs[2]], plan.Repack);
        Assert.Equal(400, plan.UnusedBytesAfter);
        Assert.Equal(800, plan.RepackUsedBytes);

        var budget = PrunePlanner.Plan(table, Used([.. used]), sizes, PruneLimit.None, 1000);
        Assert.Equal([packs[3]], budget.Repack);
    }

    [Fact]
    public void A_repacked_pack_copies_only_what_no_kept_pack_holds()
    {
        var (shared, other, own, waste) = (NewBlob(), NewBlob(), NewBlob(), NewBlob());
        var (kept, mixed) = (NewPack(), NewPack());
        var table = new PackTable();
        table.Add(kept, [Entry(shared, 500), Entry(other, 500)]);
        table.Add(mixed, [Entry(shared, 500), Entry(own, 100), Entry(waste, 400)]);
        var plan = PrunePlanner.Plan(table, Used(shared, other, own), new Dictionary<PackId, long> { [kept] = 1100, [mixed] = 1100 }, PruneLimit.None, long.MaxValue);
        Assert.Equal([mixed], plan.Repack);
        Assert.Equal([own], plan.RepackBlobs[mixed].Select(e => e.Id));
    }

    [Fact]
    public void A_used_blob_held_back_by_a_deletion_note_is_not_missing()
    {
        var (indexed, noted) = (NewBlob(), NewBlob());
        var pack = NewPack();
        var table = new PackTable();
        table.Add(pack, [Entry(indexed, 10)]);
        var plan = PrunePlanner.Plan(table, Used(indexed, noted), new Dictionary<PackId, long> { [pack] = 20 }, PruneLimit.Default, long.MaxValue,
            [Entry(noted, 10)]);
        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void A_used_blob_in_no_index_stops_the_plan()
    {
        var table = new PackTable();
        table.Add(NewPack(), [Entry(NewBlob(), 10)]);
        var e = Assert.Throws<CairnException>(() => PrunePlanner.Plan(table, Used(NewBlob()), new Dictionary<PackId, long>(), PruneLimit.Default, long.MaxValue));
        Assert.Equal(ErrorKind.RepositoryCorrupt, e.Kind);
    }

    [Fact]
    public void A_missing_pack_holding_used_data_stops_the_plan()
    {
        var a = NewBlob();
        var table = new PackTable();
        table.Add(NewPack(), [Entry(a, 10)]);
        var e = Assert.Throws<CairnException>(() => PrunePlanner.Plan(table, Used(a), new Dictionary<PackId, long>(), PruneLimit.Default, long.MaxValue));
        Assert.Contains("missing", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10%", 2400, 266)]
    [InlineData("0%", 2400, 0)]
    [InlineData("unlimited", 2400, long.MaxValue)]
    [InlineData("500", 2400, 500)]
    public void Limits_parse_and_allow(string text, long used, long allowed) =>
        Assert.Equal(allowed, PruneLimit.Parse(text, long.Parse).AllowedNextTo(used));

    [Fact]
    public void A_share_over_100_percent_is_refused() =>
        Assert.Throws<FormatException>(() => PruneLimit.Parse("150%", long.Parse));
}
