using Cairn.Core.Backup;
using Cairn.Core.Platform;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Tests.Backup;

/// <summary>
/// The backup's file reads: a whole file that a short read shows to end at the size its status gave is read with
/// one request; anything else (more bytes, fewer bytes, a full request, data extents) is read until the file says
/// it ends.
/// </summary>
public sealed class FileRangeReaderTests
{
    private const int KiB = 1024;
    private static readonly SafeFileHandle NoHandle = new(IntPtr.Zero, ownsHandle: false);

    [Fact]
    public void File_of_its_status_size_is_read_with_one_request()
    {
        var file = new FakeFile(Bytes(10 * KiB));
        var reader = new FileRangeReader(NoHandle, 10 * KiB, null, file.Read);

        Assert.Equal(10 * KiB, reader.Read(new byte[16 * KiB]));
        Assert.Equal(0, reader.Read(new byte[16 * KiB]));
        Assert.Equal([(0L, 16 * KiB)], file.Requests);
    }

    [Fact]
    public void Bytes_added_after_the_short_read_are_left_to_the_status_check()
    {
        var file = new FakeFile(Bytes(10 * KiB)) { AfterFirstRead = f => f.Content = Bytes(12 * KiB) };
        var reader = new FileRangeReader(NoHandle, 10 * KiB, null, file.Read);

        Assert.Equal(10 * KiB, reader.Read(new byte[16 * KiB]));
        Assert.Equal(0, reader.Read(new byte[16 * KiB]));
        Assert.Single(file.Requests);
    }

    [Fact]
    public void File_larger_than_its_status_is_read_to_its_end()
    {
        var file = new FakeFile(Bytes(12 * KiB));
        var reader = new FileRangeReader(NoHandle, 10 * KiB, null, file.Read);

        Assert.Equal(12 * KiB, reader.Read(new byte[16 * KiB]));
        Assert.Equal(0, reader.Read(new byte[16 * KiB]));
        Assert.Equal([(0L, 16 * KiB), (12L * KiB, 16 * KiB)], file.Requests);
    }

    [Fact]
    public void File_smaller_than_its_status_is_read_until_it_says_it_ends()
    {
        var file = new FakeFile(Bytes(6 * KiB));
        var reader = new FileRangeReader(NoHandle, 10 * KiB, null, file.Read);

        Assert.Equal(6 * KiB, reader.Read(new byte[16 * KiB]));
        Assert.Equal(0, reader.Read(new byte[16 * KiB]));
        Assert.Equal(2, file.Requests.Count);
    }

    [Fact]
    public void Read_that_fills_the_request_is_not_taken_for_the_end()
    {
        var file = new FakeFile(Bytes(16 * KiB));
        var reader = new FileRangeReader(NoHandle, 16 * KiB, null, file.Read);

        Assert.Equal(16 * KiB, reader.Read(new byte[16 * KiB]));
        Assert.Equal(0, reader.Read(new byte[16 * KiB]));
        Assert.Equal(2, file.Requests.Count);
    }

    [Fact]
    public void Data_extents_are_read_one_after_another_and_nothing_past_the_last()
    {
        var content = Bytes(12 * KiB);
        var file = new FakeFile(content);
        var reader = new FileRangeReader(NoHandle, 12 * KiB, [new FileExtent(0, 4 * KiB), new FileExtent(8 * KiB, 4 * KiB)], file.Read);
        var into = new byte[16 * KiB];

        Assert.Equal(8 * KiB, reader.ExpectedSize);
        Assert.Equal(4 * KiB, reader.Read(into));
        Assert.Equal(4 * KiB, reader.Read(into.AsSpan(4 * KiB)));
        Assert.Equal(0, reader.Read(into.AsSpan(8 * KiB)));
        Assert.Equal([(0L, 4 * KiB), (8L * KiB, 4 * KiB)], file.Requests);
        Assert.Equal(content.AsSpan(8 * KiB, 4 * KiB).ToArray(), into.AsSpan(4 * KiB, 4 * KiB).ToArray());
    }

    private static byte[] Bytes(int length) => TestData.RandomBytes(length, seed: length);

    /// <summary>A file in memory that records each read request (offset, length asked for).</summary>
    private sealed class FakeFile(byte[] content)
    {
        public byte[] Content { get; set; } = content;

        public Action<FakeFile>? AfterFirstRead { get; init; }

        public List<(long Offset, int Length)> Requests { get; } = [];

        public int Read(SafeFileHandle handle, Span<byte> buffer, long offset)
        {
            Requests.Add((offset, buffer.Length));
            var n = (int)Math.Max(0, Math.Min(buffer.Length, Content.Length - offset));
            Content.AsSpan((int)Math.Min(offset, Content.Length), n).CopyTo(buffer);
            if (Requests.Count == 1)
                AfterFirstRead?.Invoke(this);
            return n;
        }
    }
}
