using System.Text;
using Cairn.Core.Export;
using Cairn.Core.Platform;

namespace Cairn.Core.Tests.Export;

public sealed class PaxRecordsTests
{
    [Theory]
    [InlineData(1_600_000_000L, 123_456_789u, "1600000000.123456789")]
    [InlineData(5L, 0u, "5")]
    [InlineData(0L, 1u, "0.000000001")]
    [InlineData(-12_345_678L, 999_999_999u, "-12345677.000000001")]
    [InlineData(-1L, 1u, "-0.999999999")]
    [InlineData(-1L, 0u, "-1")]
    public void Times_are_seconds_with_a_decimal_fraction_counting_back_before_the_epoch(long seconds, uint nanoseconds, string expected) =>
        Assert.Equal(expected, PaxRecords.FormatTime(new PosixTime(seconds, nanoseconds)));

    [Theory]
    [InlineData(0)]
    [InlineData(85)]   // the length crosses from two digits to three
    [InlineData(86)]
    [InlineData(990)]  // and from three to four
    [InlineData(5000)]
    public void Every_record_s_length_counts_the_whole_record_including_itself(int valueLength)
    {
        var value = new byte[valueLength];
        Array.Fill(value, (byte)0xFF); // binary values pass as they are
        var records = new PaxRecords().Add("SCHILY.xattr.user.x", value);
        var bytes = records.Bytes.ToArray();
        var space = Array.IndexOf(bytes, (byte)' ');
        Assert.Equal(bytes.Length, int.Parse(Encoding.ASCII.GetString(bytes, 0, space), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((byte)'\n', bytes[^1]);
        Assert.True(bytes.AsSpan(bytes.Length - 1 - valueLength, valueLength).SequenceEqual(value));
    }
}
