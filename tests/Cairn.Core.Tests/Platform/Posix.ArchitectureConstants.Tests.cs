using System.Runtime.InteropServices;
using System.Text;
using Cairn.Core.Platform;
using Cairn.Core.Tests.Archive;

namespace Cairn.Core.Tests.Platform;

/// <summary>Flags and requests whose numbers Linux defines per architecture; files are never opened through a symlink put in their place.</summary>
public sealed class PosixArchitectureConstantsTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData(Architecture.X64, 0x20000)]
    [InlineData(Architecture.X86, 0x20000)]
    [InlineData(Architecture.RiscV64, 0x20000)]
    [InlineData(Architecture.Arm64, 0x8000)]
    [InlineData(Architecture.Arm, 0x8000)]
    [InlineData(Architecture.Ppc64le, 0x8000)]
    public void No_follow_has_the_value_linux_gives_it_on_each_architecture(Architecture architecture, int expected) =>
        Assert.Equal(expected, Posix.NoFollowFlag(architecture));

    [Theory]
    [InlineData(Architecture.X64, 0x10000)]
    [InlineData(Architecture.RiscV64, 0x10000)]
    [InlineData(Architecture.Arm64, 0x4000)]
    [InlineData(Architecture.Arm, 0x4000)]
    [InlineData(Architecture.Ppc64le, 0x4000)]
    public void Directory_only_has_the_value_linux_gives_it_on_each_architecture(Architecture architecture, int expected) =>
        Assert.Equal(expected, Posix.DirectoryFlag(architecture));

    [Theory]
    [InlineData(Architecture.X64, 8, 0x80086601u, 0x40086602u)]
    [InlineData(Architecture.Arm64, 8, 0x80086601u, 0x40086602u)]
    [InlineData(Architecture.Arm, 4, 0x80046601u, 0x40046602u)]
    [InlineData(Architecture.Ppc64le, 8, 0x40086601u, 0x80086602u)]
    public void Chattr_requests_have_the_numbers_linux_gives_them_on_each_architecture(Architecture architecture, int longSize, uint get, uint set) =>
        Assert.Equal(((nuint)get, (nuint)set), Posix.FlagsIoctls(architecture, longSize));

    [Fact]
    public void A_symlink_in_place_of_a_file_is_not_followed_when_reading_or_writing()
    {
        var target = Path.Combine(_scratch.Path, "secret");
        File.WriteAllText(target, "not for the backup");
        var link = Encoding.UTF8.GetBytes(Path.Combine(_scratch.Path, "link"));
        Posix.Symlink(Encoding.UTF8.GetBytes(target), link);

        Assert.Equal(PosixException.ELOOP, Assert.Throws<PosixException>(() => Posix.OpenRead(link).Dispose()).Errno);
        Assert.Equal(PosixException.ELOOP, Assert.Throws<PosixException>(() => Posix.OpenForWrite(link).Dispose()).Errno);
        Assert.Equal("not for the backup", File.ReadAllText(target));
    }
}
