using Cairn.Core.Export;
using System.Diagnostics;
using System.Text;
using Cairn.Core.Archive;

namespace Cairn.Core.Tests.Archive;

/// <summary>Compression told by the first bytes, a Cairn export's header skipped, and all of it through a pipe that cannot seek.</summary>
public sealed class ArchiveInputTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData(null, false)]
    [InlineData("gzip", false)]
    [InlineData("zstd", false)]
    [InlineData(null, true)]
    [InlineData("zstd", true)]
    public async Task Plain_gzip_and_zstd_archives_read_the_same_from_a_pipe(string? compressor, bool exportHeader)
    {
        var source = _scratch.Sub("src");
        var content = new byte[300_000];
        new Random(9).NextBytes(content);
        File.WriteAllBytes(Path.Combine(source, "file"), content);
        var tar = RealTar.Create(source, ["--format=posix"]);
        var input = compressor is null ? tar : RealTar.Run(compressor, ["-c"], tar);
        if (exportHeader)
        {
            var header = new byte[ExportHeader.Size];
            Array.Fill(header, (byte)' ');
            Encoding.ASCII.GetBytes(ExportHeader.Magic + "\nsnapshot 0123abcd of host at 2026-01-01\n").CopyTo(header, 0);
            input = [.. header, .. input];
        }

        using var pipe = Pipe(input);
        await using var archive = await ArchiveInput.OpenAsync(pipe.StandardOutput.BaseStream);
        Assert.Equal(compressor switch { "gzip" => ArchiveCompression.Gzip, "zstd" => ArchiveCompression.Zstd, _ => ArchiveCompression.None }, archive.Compression);
        Assert.Equal(exportHeader, archive.HadExportHeader);
        var entries = await RealTar.ReadAllAsync(archive.Tar);
        Assert.Equal(content, entries.Named("file").Data);
        Assert.Equal((await RealTar.ReadAllAsync(tar)).Select(e => e.Entry.DisplayPath), entries.Select(e => e.Entry.DisplayPath));
    }

    [Fact]
    public async Task Damaged_compressed_data_is_one_clear_error()
    {
        var source = _scratch.Sub("src");
        var content = new byte[200_000];
        new Random(2).NextBytes(content);
        File.WriteAllBytes(Path.Combine(source, "file"), content);
        var tar = RealTar.Create(source, ["--format=posix"]);
        foreach (var compressor in new[] { "gzip", "zstd" })
        {
            var compressed = RealTar.Run(compressor, ["-c"], tar);
            compressed[compressed.Length / 2] ^= 0xFF;
            await using var archive = await ArchiveInput.OpenAsync(new MemoryStream(compressed));
            var e = await Assert.ThrowsAsync<CairnException>(() => RealTar.ReadAllAsync(archive.Tar));
            Assert.Equal(ErrorKind.InvalidInput, e.Kind);
            Assert.Contains($"the archive's {compressor} data is damaged", e.Message, StringComparison.Ordinal);

            await using var cut = await ArchiveInput.OpenAsync(new MemoryStream(RealTar.Run(compressor, ["-c"], tar)[..(compressed.Length / 2)]));
            Assert.Equal(ErrorKind.InvalidInput, (await Assert.ThrowsAsync<CairnException>(() => RealTar.ReadAllAsync(cut.Tar))).Kind);
        }
    }

    [Fact]
    public async Task Xz_and_a_cut_short_export_header_are_refused_with_a_reason()
    {
        var xz = RealTar.Run("xz", ["-c"], new TarBuilder().Entry("file", '0').Finish());
        var e = await Assert.ThrowsAsync<CairnException>(() => ArchiveInput.OpenAsync(new MemoryStream(xz)));
        Assert.Contains("xz -dc ARCHIVE | cairn import -", e.Hint, StringComparison.Ordinal);

        var header = Encoding.ASCII.GetBytes(ExportHeader.Magic + "\n" + new string(' ', 1000));
        var cut = await Assert.ThrowsAsync<CairnException>(() => ArchiveInput.OpenAsync(new MemoryStream(header)));
        Assert.Contains("inside the 32768-byte header of a Cairn export", cut.Message, StringComparison.Ordinal);
    }

    /// <summary>A real pipe: cat copies <paramref name="input"/> to its standard output, which cannot seek.</summary>
    private static Process Pipe(byte[] input)
    {
        var process = Process.Start(new ProcessStartInfo("cat") { RedirectStandardInput = true, RedirectStandardOutput = true })!;
        _ = Task.Run(async () =>
        {
            await process.StandardInput.BaseStream.WriteAsync(input);
            process.StandardInput.Close();
        });
        Assert.False(process.StandardOutput.BaseStream.CanSeek);
        return process;
    }
}
