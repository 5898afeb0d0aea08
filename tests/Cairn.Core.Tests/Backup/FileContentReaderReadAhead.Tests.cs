using System.Text;
using Cairn.Core.Backup;
using Cairn.Core.Chunking;
using Cairn.Core.Format;
using Cairn.Core.Platform;

namespace Cairn.Core.Tests.Backup;

/// <summary>A file read from the disk counts as a read that missed the page cache; one read from the page cache does not. Both are read whole.</summary>
public sealed class FileContentReaderReadAheadTests : IDisposable
{
    private readonly string _dir = Path.Combine("/var/tmp", "cairn-reader-" + Guid.NewGuid().ToString("N")[..12]);

    public FileContentReaderReadAheadTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int UncachedReads, byte[] Content)> ReadAsync(string path)
    {
        var keys = TestData.Keys();
        var saver = new RecordingBlobSaver(keys);
        var progress = new BackupProgress();
        var readAhead = new ReadAhead(new ManualClock(), static (_, _) => { });
        var reader = new FileContentReader(saver, new Chunker(ChunkerParameters.Default, keys.ChunkerSeed), new ArchiveCounters(), progress,
            new EntryMetadataReader(progress), readAhead);
        var bytes = Encoding.UTF8.GetBytes(path);

        var read = await reader.ReadAsync(bytes, Posix.Lstat(bytes), CancellationToken.None);

        return (readAhead.UncachedReads, read.Content.SelectMany(saver.Blob).ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_file_on_the_disk_only_is_noted_as_a_read_that_missed_the_page_cache_and_one_in_the_page_cache_is_not(bool onDiskOnly)
    {
        var path = Path.Combine(_dir, "file");
        var content = TestData.RandomBytes(3 * 1024 * 1024 + 5, seed: 9);
        if (onDiskOnly)
            DiskOnlyFile.Write(path, content);
        else
            File.WriteAllBytes(path, content);

        var (uncachedReads, read) = await ReadAsync(path);

        Assert.Equal(onDiskOnly ? 1 : 0, uncachedReads);
        Assert.Equal(content, read);
    }
}
