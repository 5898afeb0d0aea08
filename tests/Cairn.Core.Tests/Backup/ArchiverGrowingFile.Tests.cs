using Cairn.Core.Backup;
using Cairn.Core.Chunking;
using Cairn.Core.Format;
using Cairn.Core.Snapshots;
using Cairn.Core.Trees;

namespace Cairn.Core.Tests.Backup;

/// <summary>
/// A small file is read in one request that stops at the size its status gave, without a second read to find the
/// end (FileRangeReaderTests): a file that grows once that read is done must still be noticed, read again, and
/// never stored with a size that disagrees with its content.
/// </summary>
public sealed class ArchiverGrowingFileTests : IDisposable
{
    private const int KiB = 1024;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cairn-grow-" + Guid.NewGuid().ToString("N")[..12]);

    public ArchiverGrowingFileTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task File_grown_after_its_read_is_read_again_whole()
    {
        var (path, data) = WriteFile(10 * KiB, grownTo: 25 * KiB);
        var (node, saver, summary) = await BackUpWhileGrowingAsync(path, data, retries: 2);

        Assert.Equal(25 * KiB, node.Size);
        Assert.Equal(data, saver.Content(node));
        Assert.False(node.ChangedDuringBackup);
        Assert.Equal(1, summary.FilesReread);
    }

    [Fact]
    public async Task Without_retries_the_first_read_is_kept_with_its_own_size_and_marked()
    {
        var (path, data) = WriteFile(10 * KiB, grownTo: 25 * KiB);
        var (node, saver, summary) = await BackUpWhileGrowingAsync(path, data, retries: 0);

        Assert.Equal(10 * KiB, node.Size);
        Assert.Equal(data.AsSpan(0, 10 * KiB).ToArray(), saver.Content(node));
        Assert.True(node.ChangedDuringBackup);
        Assert.Equal(1, summary.FilesChangedDuringBackup);
    }

    [Fact]
    public async Task File_larger_than_its_status_said_is_read_to_its_real_end()
    {
        // The status is taken, then the file grows before it is opened: the reader gets more than the status
        // said and reads on to the real end.
        var path = Path.Combine(_root, "file");
        var data = TestData.RandomBytes(40 * KiB, seed: 12);
        File.WriteAllBytes(path, data.AsSpan(0, 10 * KiB).ToArray());
        var keys = TestData.Keys();
        var saver = new RecordingBlobSaver(keys);
        var status = Cairn.Core.Platform.Posix.Lstat(System.Text.Encoding.UTF8.GetBytes(path));
        File.WriteAllBytes(path, data);
        var progress = new BackupProgress();
        var reader = new FileContentReader(saver, new Chunker(ChunkerParameters.Default, keys.ChunkerSeed), new ArchiveCounters(), progress,
            new EntryMetadataReader(progress), new ReadAhead());

        var read = await reader.ReadAsync(System.Text.Encoding.UTF8.GetBytes(path), status, CancellationToken.None);

        Assert.Equal(40 * KiB, read.Length);
        Assert.Equal(data, saver.Blob(Assert.Single(read.Content)));
    }

    private (string Path, byte[] Data) WriteFile(int length, int grownTo)
    {
        var path = Path.Combine(_root, "file");
        var data = TestData.RandomBytes(grownTo, seed: 11);
        File.WriteAllBytes(path, data.AsSpan(0, length).ToArray());
        return (path, data);
    }

    // The growth happens when the first read's only chunk is saved, after the read found the file's end.
    private static Task<(Node Node, RecordingBlobSaver Saver, SnapshotSummary Summary)> BackUpWhileGrowingAsync(string path, byte[] grown, int retries) =>
        SingleFileBackup.RunAsync(path, retries, () => File.WriteAllBytes(path, grown));
}
