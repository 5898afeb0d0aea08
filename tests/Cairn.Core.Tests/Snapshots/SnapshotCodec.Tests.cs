using Cairn.Core.Format;
using Cairn.Core.Snapshots;

namespace Cairn.Core.Tests.Snapshots;

public sealed class SnapshotCodecTests
{
    private static Snapshot Sample(bool withParent) => new()
    {
        Time = new DateTimeOffset(2024, 2, 29, 23, 59, 58, TimeSpan.FromHours(2)).AddTicks(1234567),
        Host = "host-ü",
        Tags = ["daily", "with space", "ünïcode"],
        ProgramVersion = "0.1.0",
        Summary = new SnapshotSummary
        {
            FilesNew = 1, FilesChanged = 2, FilesUnmodified = 3, Directories = 4, TotalFiles = 5, TotalBytes = 6_000_000_000_000,
            BytesRead = 7, BlobsAdded = 8, DataAdded = 9, DataAddedStored = 10, Errors = 11,
            Started = new DateTimeOffset(2024, 2, 29, 21, 0, 0, TimeSpan.Zero),
            Finished = new DateTimeOffset(2024, 2, 29, 22, 0, 0, TimeSpan.Zero).AddTicks(1),
        },
        Paths = ["/home/u", "/etc", "/path with \"quotes\" and \\ and \n"],
        Tree = new BlobId(new Digest(TestData.RandomBytes(32, 1))),
        Parent = withParent ? new SnapshotId(new Digest(TestData.RandomBytes(32, 2))) : null,
        Username = "u",
        Excludes = ["*.tmp", "/home/*/cache"],
    };

    private static SnapshotId IdOf(byte[] stored) => new(Digest.OfContent(stored));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Encode_ThenDecode_KeepsEveryField(bool withParent)
    {
        using var keys = TestData.Keys();
        var snapshot = Sample(withParent);

        var stored = SnapshotCodec.Encode(keys, snapshot);
        var id = IdOf(stored);
        var decoded = SnapshotCodec.Decode(keys, id, stored, "snapshots/x");

        Assert.Equal(id, decoded.Id);
        Assert.Equal(snapshot.Time, decoded.Time);
        Assert.Equal(snapshot.Time.Offset, decoded.Time.Offset);
        Assert.Equal(snapshot.Host, decoded.Host);
        Assert.Equal(snapshot.Tags, decoded.Tags);
        Assert.Equal(snapshot.ProgramVersion, decoded.ProgramVersion);
        Assert.Equal(snapshot.Summary, decoded.Summary);
        Assert.Equal(snapshot.Paths, decoded.Paths);
        Assert.Equal(snapshot.Tree, decoded.Tree);
        Assert.Equal(snapshot.Parent, decoded.Parent);
        Assert.Equal(snapshot.Username, decoded.Username);
        Assert.Equal(snapshot.Excludes, decoded.Excludes);
    }

    [Fact]
    public void Encode_MinimalSnapshot_RoundTripsWithDefaults()
    {
        using var keys = TestData.Keys();
        var snapshot = new Snapshot
        {
            Time = DateTimeOffset.UnixEpoch, Host = "", Paths = [], Tree = new BlobId(new Digest(new byte[32])),
        };

        var stored = SnapshotCodec.Encode(keys, snapshot);
        var decoded = SnapshotCodec.Decode(keys, IdOf(stored), stored, "snapshots/x");

        Assert.Empty(decoded.Tags);
        Assert.Empty(decoded.Paths);
        Assert.Empty(decoded.Excludes);
        Assert.Null(decoded.Parent);
        Assert.Equal(new SnapshotSummary(), decoded.Summary);
        Assert.Equal(snapshot.Tree, decoded.Tree);
    }

    [Fact]
    public void Decode_AnyByteFlipped_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys();
        var stored = SnapshotCodec.Encode(keys, Sample(true));
        var id = IdOf(stored);

        for (var i = 0; i < stored.Length; i++)
        {
            var damaged = (byte[])stored.Clone();
            damaged[i] ^= 0x20;
            Assert.Throws<RepositoryCorruptException>(() => SnapshotCodec.Decode(keys, id, damaged, "snapshots/x"));
        }
    }

    [Fact]
    public void Decode_AnyByteFlippedWithAMatchingId_ThrowsRepositoryCorrupt()
    {
        // Someone who renames the altered file to its new hash still fails authentication.
        using var keys = TestData.Keys();
        var stored = SnapshotCodec.Encode(keys, Sample(true));

        for (var i = 0; i < stored.Length; i++)
        {
            var damaged = (byte[])stored.Clone();
            damaged[i] ^= 0x01;
            var e = Record.Exception(() => SnapshotCodec.Decode(keys, IdOf(damaged), damaged, "snapshots/x"));
            Assert.True(e is RepositoryCorruptException, $"byte {i}: {e?.GetType().FullName ?? "no exception"}");
        }
    }

    [Fact]
    public void Decode_Truncated_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys();
        var stored = SnapshotCodec.Encode(keys, Sample(false));

        foreach (var length in new[] { 0, 3, 7, 8, stored.Length / 2, stored.Length - 1 })
        {
            var cut = stored[..length];
            var e = Record.Exception(() => SnapshotCodec.Decode(keys, IdOf(cut), cut, "snapshots/x"));
            Assert.True(e is RepositoryCorruptException, $"{length} bytes: {e?.GetType().FullName ?? "no exception"}");
        }
    }

    [Fact]
    public void Decode_OtherRepositorysKeys_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys(1);
        using var other = TestData.Keys(2);
        var stored = SnapshotCodec.Encode(keys, Sample(true));

        Assert.Throws<RepositoryCorruptException>(() => SnapshotCodec.Decode(other, IdOf(stored), stored, "snapshots/x"));
    }
}
