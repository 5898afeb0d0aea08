using System.Collections.Concurrent;
using System.Text;
using Cairn.Core.Backup;
using Cairn.Core.Chunking;
using Cairn.Core.Compression;
using Cairn.Core.Crypto;
using Cairn.Core.Format;
using Cairn.Core.Repository;
using Cairn.Storage;

namespace Cairn.Core.Tests.Backup;

/// <summary>
/// What the walker reads ahead once files come from the disk: each small file still to be read, once, before its
/// read; not large or empty files, not other entries, not files the parent snapshot shows unchanged (unless
/// <c>--rehash</c> reads them); nothing while files come from the page cache.
/// </summary>
public sealed class ArchiverReadAheadTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cairn-readahead-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly ConcurrentQueue<(string Path, long Length)> _started = new();

    public ArchiverReadAheadTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "sub"));
        for (var i = 0; i < 40; i++)
            File.WriteAllBytes(Path.Combine(_root, $"small-{i:D2}"), TestData.RandomBytes(1000 + i, seed: i));
        File.WriteAllBytes(Path.Combine(_root, "sub", "inner"), TestData.RandomBytes(3000, seed: 100));
        File.WriteAllBytes(Path.Combine(_root, "empty"), []);
        File.WriteAllBytes(Path.Combine(_root, "large"), TestData.RandomBytes(ChunkerParameters.Default.MaxSize / 2 + 1, seed: 101));
        File.CreateSymbolicLink(Path.Combine(_root, "link"), "small-00");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A read-ahead that records what it starts; on a clock that stands still, so one burst of uncached reads keeps it on throughout.</summary>
    private ReadAhead Recording(bool filesComeFromDisk)
    {
        var readAhead = new ReadAhead(new ManualClock(), (path, length) => _started.Enqueue((Encoding.UTF8.GetString(path), length)));
        for (var i = 0; filesComeFromDisk && i < ReadAhead.BurstBytes / ReadAhead.MaximumWeight; i++)
            readAhead.NoteUncachedRead(ReadAhead.MaximumWeight);
        return readAhead;
    }

    private List<(string, long)> SmallFiles(params int[] numbers) =>
        numbers.Select(i => (Path.Combine(_root, $"small-{i:D2}"), 1000L + i)).ToList();

    private static async Task<BlobId> BackUpAsync(Core.Repository.Repository repository, string root, BlobId? parent, BackupOptions options, ReadAhead readAhead)
    {
        await using var writer = new BlobWriter(repository, CompressionSetting.Off, workers: 2, verifyDedup: false, CancellationToken.None);
        var archiver = new Archiver(writer, parent is null ? null : repository, new Chunker(repository.Config.Chunker, repository.Keys.ChunkerSeed),
            options, new BackupProgress(), readAhead);
        var result = await archiver.RunAsync([root], parent);
        await writer.FlushAsync();
        return result.Tree;
    }

    private static Task<Core.Repository.Repository> NewRepositoryAsync() =>
        Core.Repository.Repository.InitAsync(new MemoryStorage(), Encoding.UTF8.GetBytes("pw"), new RepositoryInitOptions { Kdf = KdfParameters.Minimum });

    [Fact]
    public async Task Every_small_file_is_read_ahead_once_with_its_size_the_first_ones_before_any_file_is_read()
    {
        var keys = TestData.Keys();
        var startedBeforeFirstRead = -1;
        var saver = new RecordingBlobSaver(keys) { BeforeFirstData = () => startedBeforeFirstRead = _started.Count };
        var archiver = new Archiver(saver, null, new Chunker(ChunkerParameters.Default, keys.ChunkerSeed), new BackupOptions(), new BackupProgress(),
            Recording(filesComeFromDisk: true));

        await archiver.RunAsync([_root], null);

        // Sorted by name the directory holds empty, large, link, small-00 … small-39, sub: the first window of 16
        // entries holds small-00 to small-12, started before the walker starts the first file.
        Assert.True(startedBeforeFirstRead >= 13, $"{startedBeforeFirstRead} files were read ahead before the first was read");
        Assert.Equal(SmallFiles([.. Enumerable.Range(0, 13)]), _started.Take(13).ToList());
        var expected = SmallFiles([.. Enumerable.Range(0, 40)]).Append((Path.Combine(_root, "sub", "inner"), 3000L)).Order().ToList();
        Assert.Equal(expected, _started.Order().ToList());
    }

    [Fact]
    public async Task No_more_than_16_MiB_of_files_are_read_ahead_of_the_one_being_read()
    {
        var dir = Path.Combine(_root, "sub", "two-mib");
        Directory.CreateDirectory(dir);
        for (var i = 0; i < 12; i++)
            File.WriteAllBytes(Path.Combine(dir, $"f{i:D2}"), TestData.RandomBytes(2 * 1024 * 1024, seed: 200 + i));
        var keys = TestData.Keys();
        var startedBeforeFirstRead = -1;
        var saver = new RecordingBlobSaver(keys) { BeforeFirstData = () => startedBeforeFirstRead = _started.Count };
        // One file at a time: while f00 is read, the walker waits to start f01 and has read ahead for it at most.
        var archiver = new Archiver(saver, null, new Chunker(ChunkerParameters.Default, keys.ChunkerSeed), new BackupOptions { FileConcurrency = 1 },
            new BackupProgress(), Recording(filesComeFromDisk: true));

        await archiver.RunAsync([dir], null);

        // f00 to f07 (16 MiB) before f00 is started; f08 once f00 is, as the window moves past it.
        Assert.InRange(startedBeforeFirstRead, 8, 9);
        Assert.Equal(12, _started.Count);
    }

    [Fact]
    public async Task While_files_come_from_the_page_cache_nothing_is_read_ahead()
    {
        await using var repository = await NewRepositoryAsync();

        await BackUpAsync(repository, _root, null, new BackupOptions(), Recording(filesComeFromDisk: false));

        Assert.Empty(_started);
    }

    [Fact]
    public async Task Files_the_parent_snapshot_shows_unchanged_are_not_read_ahead()
    {
        await using var repository = await NewRepositoryAsync();
        var parent = await BackUpAsync(repository, _root, null, new BackupOptions(), Recording(filesComeFromDisk: false));
        var changed = Path.Combine(_root, "small-17");
        File.AppendAllText(changed, "more");

        await BackUpAsync(repository, _root, parent, new BackupOptions(), Recording(filesComeFromDisk: true));

        Assert.Equal([(changed, 1017L + 4)], _started);
    }

    [Fact]
    public async Task With_rehash_the_files_the_parent_snapshot_shows_unchanged_are_read_ahead_too()
    {
        await using var repository = await NewRepositoryAsync();
        var parent = await BackUpAsync(repository, _root, null, new BackupOptions(), Recording(filesComeFromDisk: false));

        await BackUpAsync(repository, _root, parent, new BackupOptions { Rehash = true }, Recording(filesComeFromDisk: true));

        Assert.Equal(41, _started.Count);
    }
}
