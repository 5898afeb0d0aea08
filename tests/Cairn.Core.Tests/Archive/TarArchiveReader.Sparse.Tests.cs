using Cairn.Core.Archive;
using Cairn.Core.Platform;

namespace Cairn.Core.Tests.Archive;

/// <summary>Sparse files as the real GNU tar stores them: old GNU 'S' entries (with extension blocks) and PAX sparse 0.0, 0.1 and 1.0.</summary>
public sealed class TarArchiveReaderSparseTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly ScratchDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData("gnu", null)]
    [InlineData("posix", "1.0")]
    [InlineData("posix", "0.1")]
    [InlineData("posix", "0.0")]
    public async Task The_data_extents_and_only_their_bytes_come_back(string format, string? sparseVersion)
    {
        var source = _scratch.Sub("src");
        var random = new Random(7);
        // 30 extents: more than an old GNU header holds (4) and than one extension block holds (21).
        var many = Path.Combine(source, "many-extents");
        using (var h = File.OpenHandle(many, FileMode.CreateNew, FileAccess.Write))
        {
            RandomAccess.SetLength(h, 40 * MiB);
            for (var i = 0; i < 30; i++)
                RandomAccess.Write(h, Bytes(random, 4096 * (1 + i % 3)), i * MiB + 8192);
        }
        using (var h = File.OpenHandle(Path.Combine(source, "all-hole"), FileMode.CreateNew, FileAccess.Write))
            RandomAccess.SetLength(h, 1L << 30);
        using (var h = File.OpenHandle(Path.Combine(source, "data-at-the-end"), FileMode.CreateNew, FileAccess.Write))
            RandomAccess.Write(h, Bytes(random, 5000), 3 * MiB);

        string[] options = [$"--format={format}", "--sparse", .. sparseVersion is null ? Array.Empty<string>() : [$"--sparse-version={sparseVersion}"]];
        var entries = await RealTar.ReadAllAsync(RealTar.Create(source, options));

        foreach (var name in new[] { "many-extents", "all-hole", "data-at-the-end" })
        {
            var (entry, data) = entries.Named(name);
            var path = PathBytes.FromString(Path.Combine(source, name));
            using var handle = Posix.OpenRead(path);
            var size = Posix.Lstat(path).Size;
            var expected = Posix.DataExtents(handle, size);
            Assert.Equal(TarEntryType.File, entry.Type);
            Assert.Equal(format == "gnu" ? (byte)'S' : (byte)'0', entry.TypeFlag);
            Assert.Equal(size, entry.Size);
            Assert.Equal(expected, entry.SparseMap);
            Assert.Equal(expected.Sum(e => e.Length), entry.DataLength);
            var bytes = new List<byte>();
            foreach (var e in expected)
            {
                var piece = new byte[e.Length];
                RandomAccess.Read(handle, piece, e.Offset);
                bytes.AddRange(piece);
            }
            Assert.Equal(bytes.ToArray(), data);
        }
        Assert.Equal(30, entries.Named("many-extents").Entry.SparseMap!.Count);
        Assert.Empty(entries.Named("all-hole").Entry.SparseMap!);
    }

    [Fact]
    public async Task A_sparse_map_that_disagrees_with_the_data_is_damage()
    {
        var archive = new TarBuilder()
            .Pax('x', ("GNU.sparse.size", "100000"u8.ToArray()), ("GNU.sparse.map", "0,10,50000,20"u8.ToArray()))
            .Entry("file", '0', new byte[25])
            .Finish();
        var e = await Assert.ThrowsAsync<CairnException>(() => RealTar.ReadAllAsync(archive));
        Assert.Equal(ErrorKind.InvalidInput, e.Kind);
        Assert.Contains("sparse map names 30 bytes of data, the entry holds 25", e.Message, StringComparison.Ordinal);
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
