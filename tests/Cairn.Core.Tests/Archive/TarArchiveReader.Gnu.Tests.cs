using System.Text;
using Cairn.Core.Archive;
using Cairn.Core.Platform;

namespace Cairn.Core.Tests.Archive;

/// <summary>GNU and ustar archives written by the real GNU tar: long names, base-256 numbers, name prefixes, special files.</summary>
public sealed class TarArchiveReaderGnuTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Long_names_and_link_targets_come_from_gnu_long_name_entries()
    {
        var source = _scratch.Sub("src");
        var deep = Path.Combine(source, new string('d', 120), new string('e', 120));
        Directory.CreateDirectory(deep);
        var file = Path.Combine(deep, new string('f', 200));
        File.WriteAllText(file, "long");
        var target = "../" + new string('t', 180);
        File.CreateSymbolicLink(Path.Combine(source, "link"), target);
        Posix.Link(PathBytes.FromString(file), PathBytes.FromString(Path.Combine(source, new string('h', 150))));

        var archive = RealTar.Create(source, ["--format=gnu"]);
        Assert.Contains("././@LongLink", Encoding.Latin1.GetString(archive), StringComparison.Ordinal);
        var entries = await RealTar.ReadAllAsync(archive);

        var relative = Path.GetRelativePath(source, file);
        Assert.Contains("./" + new string('h', 150), entries.Select(e => Encoding.UTF8.GetString(e.Entry.Path)));
        var first = entries.Single(e => e.Entry.Type == TarEntryType.File);
        var other = entries.Single(e => e.Entry.Type == TarEntryType.HardLink);
        Assert.Equal(Encoding.UTF8.GetString(first.Entry.Path), Encoding.UTF8.GetString(other.Entry.LinkTarget!));
        Assert.Equal(["./" + relative, "./" + new string('h', 150)], new[] { first.Entry.Path, other.Entry.Path }.Select(Encoding.UTF8.GetString).Order(StringComparer.Ordinal));
        Assert.Equal("long"u8.ToArray(), first.Data);
        Assert.Equal(target, Encoding.UTF8.GetString(entries.Named("link").Entry.LinkTarget!));
        Assert.Contains("./" + Path.GetRelativePath(source, deep) + "/", entries.Select(e => Encoding.UTF8.GetString(e.Entry.Path)));
    }

    [Fact]
    public async Task Base256_numbers_carry_large_ids_and_times_before_1970()
    {
        var source = _scratch.Sub("src");
        var file = PathBytes.FromString(Path.Combine(source, "old"));
        File.WriteAllText(Encoding.UTF8.GetString(file), "old");
        Posix.Lchown(file, 3_000_000, 4_000_000_000);
        Posix.SetTimes(file, new PosixTime(1_000, 0), new PosixTime(-12_345_679, 0));

        var archive = RealTar.Create(source, ["--format=gnu"], "old");
        Assert.Equal(0x80, archive[108] & 0x80); // uid, gid and mtime are base-256 here
        Assert.Equal(0xFF, archive[136]);
        var entry = (await RealTar.ReadAllAsync(archive)).Single().Entry;

        Assert.Equal((3_000_000u, 4_000_000_000u), (entry.Uid, entry.Gid));
        Assert.Equal(new PosixTime(-12_345_679, 0), entry.Mtime);
    }

    [Fact]
    public async Task Ustar_names_join_the_prefix_and_the_name()
    {
        var source = _scratch.Sub("src");
        var directory = Path.Combine(source, new string('p', 90), new string('q', 40));
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, new string('n', 80)), "prefixed");

        var entries = await RealTar.ReadAllAsync(RealTar.Create(source, ["--format=ustar"]));

        var file = entries.Single(e => e.Entry.Type == TarEntryType.File);
        Assert.Equal($"./{new string('p', 90)}/{new string('q', 40)}/{new string('n', 80)}", Encoding.UTF8.GetString(file.Entry.Path));
        Assert.Equal("prefixed"u8.ToArray(), file.Data);
    }

    [Theory]
    [InlineData("gnu")]
    [InlineData("posix")]
    public async Task Devices_fifos_and_owners_keep_their_numbers_and_names(string format)
    {
        Assert.True(Posix.EffectiveUserId == 0, "making devices needs root");
        var source = PathBytes.FromString(_scratch.Sub("src"));
        Posix.MakeNode(PathBytes.Join(source, "char"u8), FileKind.CharDevice, 0x1B6, (1UL << 32) | 5);
        Posix.MakeNode(PathBytes.Join(source, "block"u8), FileKind.BlockDevice, 0x1A0, (259UL << 32) | 70000);
        Posix.MakeNode(PathBytes.Join(source, "fifo"u8), FileKind.Fifo, 0x9A4, 0); // setuid on a FIFO: every mode bit counts
        Posix.Chmod(PathBytes.Join(source, "char"u8), 0x1B6); // past the umask
        Posix.Lchown(PathBytes.Join(source, "fifo"u8), 1, 1);
        Posix.Chmod(PathBytes.Join(source, "fifo"u8), 0x9A4); // after the chown, which clears setuid

        var entries = await RealTar.ReadAllAsync(RealTar.Create(Encoding.UTF8.GetString(source), [$"--format={format}"]));

        var c = entries.Named("char").Entry;
        Assert.Equal((TarEntryType.CharDevice, 1u, 5u, 0x1B6u), (c.Type, c.DeviceMajor, c.DeviceMinor, c.Mode));
        var b = entries.Named("block").Entry;
        Assert.Equal((TarEntryType.BlockDevice, 259u, 70000u, 0x1A0u), (b.Type, b.DeviceMajor, b.DeviceMinor, b.Mode));
        var f = entries.Named("fifo").Entry;
        Assert.Equal((TarEntryType.Fifo, 0x9A4u, 1u, 1u), (f.Type, f.Mode, f.Uid, f.Gid));
        Assert.Equal((Posix.UserName(1), Posix.GroupName(1)), (f.UserName, f.GroupName));
        Assert.Equal(TarEntryType.Directory, entries.Named("").Entry.Type);
    }
}
