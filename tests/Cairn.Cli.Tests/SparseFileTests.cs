using System.Text.Json;

namespace Cairn.Cli.Tests;

/// <summary>
/// Sparse files: holes are not read or stored and come back as holes, written zeros come back as written
/// zeros; the data/hole map is read with Python's os.lseek(SEEK_DATA/SEEK_HOLE), not with Cairn's own code.
/// </summary>
public sealed class SparseFileTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task Holes_stay_holes_and_written_zeros_stay_written()
    {
        await _t.InitAsync();
        var source = _t.PathOf("src");
        Directory.CreateDirectory(source);
        var random = new Random(11);
        var threeExtents = Path.Combine(source, "three-extents");
        long dataBytes = 0;
        using (var h = File.OpenHandle(threeExtents, FileMode.CreateNew, FileAccess.Write))
        {
            RandomAccess.SetLength(h, 10 * MiB); // ends in a hole
            foreach (var (offset, length) in new[] { (0L, 64 * 1024), (3 * MiB, 100 * 1024), (7 * MiB, (int)MiB) })
            {
                var data = new byte[length];
                random.NextBytes(data);
                RandomAccess.Write(h, data, offset);
                dataBytes += length;
            }
        }
        var allHole = Path.Combine(source, "all-hole");
        using (var h = File.OpenHandle(allHole, FileMode.CreateNew, FileAccess.Write))
            RandomAccess.SetLength(h, 1L << 40);
        var zeros = Path.Combine(source, "written-zeros");
        File.WriteAllBytes(zeros, new byte[2 * MiB]);
        dataBytes += 2 * MiB;

        var backup = await _t.RunAsync("--json", "backup", source);
        Assert.True(backup.ExitCode == 0, backup.ToString());
        using (var json = JsonDocument.Parse(backup.Output))
            Assert.Equal(dataBytes, json.RootElement.GetProperty("summary").GetProperty("bytes_read").GetInt64());

        var target = _t.PathOf("out");
        var restore = await _t.RunAsync("restore", $"latest:{source}", "--target", target, "--verify");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        foreach (var name in new[] { "three-extents", "all-hole", "written-zeros" })
            Assert.Equal(await SystemTools.DataMapAsync(Path.Combine(source, name)), await SystemTools.DataMapAsync(Path.Combine(target, name)));
        Assert.Equal("10485760 0-65536 3145728-3248128 7340032-8388608", await SystemTools.DataMapAsync(Path.Combine(target, "three-extents")));
        Assert.Equal("1099511627776", await SystemTools.DataMapAsync(Path.Combine(target, "all-hole")));
        Assert.Equal("2097152 0-2097152", await SystemTools.DataMapAsync(Path.Combine(target, "written-zeros")));
        Assert.Equal(File.ReadAllBytes(threeExtents), File.ReadAllBytes(Path.Combine(target, "three-extents")));

        var dense = _t.PathOf("dense");
        var full = await _t.RunAsync("restore", $"latest:{source}", "--target", dense, "--no-sparse", "--exclude", "all-hole");
        Assert.True(full.ExitCode == 0, full.ToString());
        Assert.Equal("10485760 0-10485760", await SystemTools.DataMapAsync(Path.Combine(dense, "three-extents")));
        Assert.Equal(File.ReadAllBytes(threeExtents), File.ReadAllBytes(Path.Combine(dense, "three-extents")));
    }
}
