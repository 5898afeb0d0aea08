using Cairn.Core.Archive;

namespace Cairn.Core.Tests.Archive;

/// <summary>Cut-short and damaged archives: each is one clear error, never a shorter listing.</summary>
public sealed class TarArchiveReaderDamageTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task An_archive_cut_short_anywhere_before_its_end_marker_is_an_error()
    {
        var archive = SmallArchive();
        var endMarker = EndMarkerOffset(archive);
        for (var cut = 0; cut < endMarker + 512; cut += 97)
        {
            var e = await Assert.ThrowsAsync<CairnException>(() => RealTar.ReadAllAsync(archive[..cut]));
            Assert.Equal(ErrorKind.InvalidInput, e.Kind);
            Assert.True(e.Message.Contains("cut short", StringComparison.Ordinal) || (cut == 0 && e.Message.Contains("empty", StringComparison.Ordinal)), $"{cut}: {e.Message}");
        }
        // One zero block ends an archive as well as two, and the record padding after it is optional.
        Assert.Equal(4, (await RealTar.ReadAllAsync(archive[..(endMarker + 512)])).Count);
        Assert.Equal(4, (await RealTar.ReadAllAsync(archive)).Count);
    }

    [Fact]
    public async Task A_header_with_a_wrong_checksum_is_an_error()
    {
        var archive = SmallArchive();
        const int second = 1024; // the root directory's header, after its PAX header and that header's data
        Assert.Equal("./\0"u8.ToArray(), archive[second..(second + 3)]);
        var damaged = archive.ToArray();
        damaged[second + 5] ^= 0x20;
        var e = await Assert.ThrowsAsync<CairnException>(() => RealTar.ReadAllAsync(damaged));
        Assert.Equal(ErrorKind.InvalidInput, e.Kind);
        Assert.Equal($"the archive is damaged: the header at byte {second} has a wrong checksum", e.Message);

        var first = archive.ToArray();
        first[0] ^= 0x01;
        Assert.Contains("not a tar archive", (await Assert.ThrowsAsync<CairnException>(() => RealTar.ReadAllAsync(first))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Input_that_is_not_a_tar_archive_or_is_empty_is_refused()
    {
        var noise = new byte[4096];
        new Random(3).NextBytes(noise);
        Assert.Contains("not a tar archive", (await Assert.ThrowsAsync<CairnException>(() => RealTar.ReadAllAsync(noise))).Message, StringComparison.Ordinal);
        Assert.Contains("empty", (await Assert.ThrowsAsync<CairnException>(() => RealTar.ReadAllAsync(Array.Empty<byte>()))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_pax_record_is_damage()
    {
        var archive = new TarBuilder().Entry("PaxHeader", 'x', "99 path=too long for its record\n"u8.ToArray()).Entry("file", '0').Finish();
        var e = await Assert.ThrowsAsync<CairnException>(() => RealTar.ReadAllAsync(archive));
        Assert.StartsWith("the archive is damaged: the extended header at byte 0", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A posix archive of a directory, a 10,000-byte file and a symlink: root, pax headers, data, padding.</summary>
    private byte[] SmallArchive()
    {
        var source = _scratch.Sub("src");
        Directory.CreateDirectory(Path.Combine(source, "dir"));
        var content = new byte[10_000];
        new Random(5).NextBytes(content);
        File.WriteAllBytes(Path.Combine(source, "dir", "file"), content);
        File.CreateSymbolicLink(Path.Combine(source, "link"), "dir/file");
        return RealTar.Create(source, ["--format=posix", "--sort=name"]);
    }

    private static int EndMarkerOffset(byte[] archive)
    {
        for (var at = 0; at < archive.Length; at += 512)
        {
            if (!archive.AsSpan(at, 512).ContainsAnyExcept((byte)0))
                return at;
        }
        throw new InvalidOperationException("no end marker");
    }
}
