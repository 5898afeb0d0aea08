using System.Text;
using Cairn.Core.Platform;
using Cairn.Core.Tests.Archive;

namespace Cairn.Core.Tests.Platform;

/// <summary>An open directory lists its names sorted by bytes and gives each entry's status by name, as a path would.</summary>
public sealed class PosixDirectoryListingTests : IDisposable
{
    private static readonly byte[] BadName = [(byte)'z', 0xff, (byte)'.', (byte)'b', (byte)'i', (byte)'n'];
    private readonly ScratchDirectory _scratch = new();
    private readonly byte[] _dir;

    public PosixDirectoryListingTests() => _dir = Encoding.UTF8.GetBytes(_scratch.Path);

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Entries_are_listed_in_byte_order_and_looked_up_by_name()
    {
        File.WriteAllText(Path.Combine(_scratch.Path, "b.txt"), "12345");
        Directory.CreateDirectory(Path.Combine(_scratch.Path, "a"));
        Posix.Symlink("b.txt"u8, PathBytes.Join(_dir, "link"u8));
        using (var handle = Posix.CreateNew(PathBytes.Join(_dir, BadName)))
            RandomAccess.Write(handle, "xy"u8, 0);

        using var listing = Posix.OpenDirectory(_dir);

        Assert.Equal(["a", "b.txt", "link"], listing.Names.Take(3).Select(n => Encoding.UTF8.GetString(n)));
        Assert.Equal(BadName, listing.Names[3]);
        foreach (var name in listing.Names)
            Assert.Equal(Posix.Lstat(PathBytes.Join(_dir, name)), listing.Lstat(name));
        Assert.Equal(FileKind.Symlink, listing.Lstat("link"u8).Kind);
        Assert.Equal(2, listing.Lstat(BadName).Size);
        var missing = Assert.Throws<PosixException>(() => listing.Lstat("gone"u8));
        Assert.True(missing.IsNotFound);
        Assert.Contains("gone", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_closed_listing_looks_nothing_up()
    {
        var listing = Posix.OpenDirectory(_dir);
        listing.Dispose();
        listing.Dispose();

        Assert.Throws<ObjectDisposedException>(() => listing.Lstat("a"u8));
    }
}
