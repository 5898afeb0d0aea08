using System.Text;
using Cairn.Core.Export;

namespace Cairn.Core.Tests.Export;

public sealed class TarBlockTests
{
    [Fact]
    public void The_checksum_is_the_sum_of_the_block_with_the_checksum_field_as_spaces()
    {
        var block = TarBlock.Ustar(TarBlock.Regular).Name("a/b.txt"u8).Numbers(0x1A4, 1000, 1000, 12345, 1_600_000_000).Owners("me", "us").Seal().ToArray();
        var field = Encoding.ASCII.GetString(block, 148, 6);
        var copy = (byte[])block.Clone();
        copy.AsSpan(148, 8).Fill((byte)' ');
        Assert.Equal(copy.Sum(b => b), Convert.ToInt32(field, 8));
        Assert.Equal("ustar\0" + "00", Encoding.ASCII.GetString(block, 257, 8));
        Assert.Equal("00000030071\0", Encoding.ASCII.GetString(block, 124, 12));
    }

    [Fact]
    public void Numbers_too_large_for_octal_are_written_in_base_256()
    {
        var size = 200L << 30; // 200 GiB: more than 11 octal digits hold
        var block = TarBlock.Gnu(TarBlock.Regular).Numbers(0, 0, 0, size, -5).Seal().ToArray();
        Assert.Equal(0x80, block[124]);
        Assert.Equal(size, System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(block.AsSpan(128, 8)));
        Assert.Equal(0xFF, block[136]);
        Assert.Equal(-5L, System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(block.AsSpan(140, 8)));
    }

    [Fact]
    public void Octal_fields_hold_one_digit_less_than_their_width()
    {
        Assert.True(TarBlock.FitsOctal((1L << 33) - 1, 12));
        Assert.False(TarBlock.FitsOctal(1L << 33, 12));
        Assert.False(TarBlock.FitsOctal(-1, 12));
        Assert.True(TarBlock.FitsOctal(2_097_151, 8));
        Assert.False(TarBlock.FitsOctal(2_097_152, 8));
    }
}
