using Cairn.Core.Platform;
using Cairn.Core.Snapshots;
using Cairn.Core.Trees;

namespace Cairn.Core.Tests.Backup;

/// <summary>
/// A file cut short while the archiver reads it, below what was already read: the snapshot never holds bytes past
/// what was read, and its size always agrees with its content.
/// </summary>
public sealed class ArchiverShrinkingFileTests : IDisposable
{
    private const int MiB = 1 << 20;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cairn-shrink-" + Guid.NewGuid().ToString("N")[..12]);

    public ArchiverShrinkingFileTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Shrunk_file_is_read_again_and_stored_as_it_now_is()
    {
        var (path, original) = WriteFile(40 * MiB);
        var (node, saver, summary) = await BackUpWhileShrinkingAsync(path, to: 10 * MiB, retries: 2);

        Assert.Equal(10 * MiB, node.Size);
        Assert.Equal(original.AsSpan(0, 10 * MiB).ToArray(), saver.Content(node));
        Assert.False(node.ChangedDuringBackup);
        Assert.Equal(1, summary.FilesReread);
    }

    [Fact]
    public async Task Without_retries_the_read_is_kept_exactly_as_read_and_marked()
    {
        var (path, original) = WriteFile(40 * MiB);
        var (node, saver, summary) = await BackUpWhileShrinkingAsync(path, to: 10 * MiB, retries: 0);

        // The reader had 16 MiB in its buffer when the file was cut to 10 MiB; the next read found the end.
        var content = saver.Content(node);
        Assert.Equal(content.Length, node.Size);
        Assert.InRange(node.Size, 10 * MiB, 40 * MiB - 1);
        Assert.Equal(original.AsSpan(0, content.Length).ToArray(), content);
        Assert.True(node.ChangedDuringBackup);
        Assert.Equal(1, summary.FilesChangedDuringBackup);
    }

    [Fact]
    public async Task Sparse_file_cut_short_does_not_grow_a_hole_where_it_ended()
    {
        // Data at [0, 1 MiB) and [4 MiB, 5 MiB) of an 8 MiB file, cut to 4.5 MiB while read.
        var path = Path.Combine(_root, "sparse");
        var data = TestData.RandomBytes(2 * MiB, seed: 3);
        using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
        {
            RandomAccess.Write(file, data.AsSpan(0, MiB), 0);
            RandomAccess.Write(file, data.AsSpan(MiB), 4 * MiB);
            RandomAccess.SetLength(file, 8 * MiB);
        }
        var (node, saver, _) = await BackUpWhileShrinkingAsync(path, to: 4 * MiB + MiB / 2, retries: 0);

        // How much of the second extent was read before the cut depends on where the first chunk ended.
        Assert.True(node.ChangedDuringBackup);
        var secondRead = node.Extents![^1].Length;
        Assert.InRange(secondRead, 1, MiB);
        Assert.Equal([new FileExtent(0, MiB), new FileExtent(4 * MiB, secondRead)], node.Extents);
        Assert.Equal(4 * MiB + secondRead, node.Size); // the end of the data read, not the 8 MiB the file had before
        Assert.Equal(data.AsSpan(0, MiB + (int)secondRead).ToArray(), saver.Content(node));
    }

    private (string Path, byte[] Data) WriteFile(int length)
    {
        var path = Path.Combine(_root, "file");
        var data = TestData.RandomBytes(length, seed: 7);
        File.WriteAllBytes(path, data);
        return (path, data);
    }

    private static Task<(Node Node, RecordingBlobSaver Saver, SnapshotSummary Summary)> BackUpWhileShrinkingAsync(string path, long to, int retries) =>
        SingleFileBackup.RunAsync(path, retries, () =>
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
            RandomAccess.SetLength(file, to);
        });
}
