using System.Text;
using Cairn.Core.Backup;
using Cairn.Core.Chunking;
using Cairn.Core.Format;
using Cairn.Core.Platform;

namespace Cairn.Core.Tests.Backup;

/// <summary>
/// A file replaced by a FIFO or a directory between its status and its read: the backup must report it and go on,
/// never wait for a writer that will not come.
/// </summary>
public sealed class ArchiverReplacedFileTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cairn-replaced-" + Guid.NewGuid().ToString("N")[..12]);

    public ArchiverReplacedFileTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(FileKind.Fifo)]
    [InlineData(FileKind.Directory)]
    public async Task A_file_replaced_after_its_status_fails_its_read_at_once_as_not_a_regular_file(FileKind replacement)
    {
        var path = Path.Combine(_root, "file");
        File.WriteAllBytes(path, TestData.RandomBytes(10_000, seed: 3));
        var pathBytes = Encoding.UTF8.GetBytes(path);
        var status = Posix.Lstat(pathBytes);
        File.Delete(path);
        if (replacement == FileKind.Fifo)
            Posix.MakeNode(pathBytes, FileKind.Fifo, 0x180, 0);
        else
            Directory.CreateDirectory(path);
        var keys = TestData.Keys();
        var progress = new BackupProgress();
        var reader = new FileContentReader(new RecordingBlobSaver(keys), new Chunker(ChunkerParameters.Default, keys.ChunkerSeed), new ArchiveCounters(),
            progress, new EntryMetadataReader(progress), new ReadAhead());

        // On a thread of its own: an open that blocks must fail this test, not hang it.
        var failure = await Assert.ThrowsAsync<PosixException>(() => Task.Run(() => reader.ReadAsync(pathBytes, status, CancellationToken.None))
            .WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.True(failure.IsNotRegularFile, failure.Message);
    }

    [Fact]
    public async Task The_archiver_reports_a_file_replaced_by_a_fifo_and_saves_the_rest()
    {
        // One file at a time: "second" has its status from the listing when "first" is read, and is replaced then.
        var first = Path.Combine(_root, "first");
        var second = Path.Combine(_root, "second");
        File.WriteAllBytes(first, TestData.RandomBytes(10_000, seed: 4));
        File.WriteAllBytes(second, TestData.RandomBytes(10_000, seed: 5));
        var keys = TestData.Keys();
        var saver = new RecordingBlobSaver(keys)
        {
            BeforeFirstData = () =>
            {
                File.Delete(second);
                Posix.MakeNode(Encoding.UTF8.GetBytes(second), FileKind.Fifo, 0x180, 0);
            },
        };
        var reports = new List<(string Path, string Message)>();
        var progress = new BackupProgress { WarningReceived = (p, m) => { lock (reports) reports.Add((p, m)); } };
        var archiver = new Archiver(saver, null, new Chunker(ChunkerParameters.Default, keys.ChunkerSeed),
            new BackupOptions { FileConcurrency = 1 }, progress);

        var result = await archiver.RunAsync([_root], null).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, progress.Errors);
        var (path, message) = Assert.Single(reports);
        Assert.EndsWith("second", path, StringComparison.Ordinal);
        Assert.Equal("replaced during the backup by an entry that is not a regular file; not saved", message);
        Assert.Equal(TestData.RandomBytes(10_000, seed: 4), saver.Content(saver.Find(result.Tree, "first")));
        Assert.Throws<KeyNotFoundException>(() => saver.Find(result.Tree, "second"));
    }
}
