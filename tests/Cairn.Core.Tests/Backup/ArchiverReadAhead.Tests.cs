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
/// What the walker reads ahead while reads are slow: each small file still to be read, once; not large or empty
/// files, not other entries, not files the parent snapshot shows unchanged; nothing while reads are fast.
/// </summary>
public sealed class ArchiverReadAheadTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cairn-readahead-" + Guid.NewGuid().ToString("N")[..12]);

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

    private sealed class Recorder
    {
        public ConcurrentBag<(string Path, long Length)> Started { get; } = [];

        public ReadAhead ReadAhead(ManualClock clock, bool slowReadSeen)
        {
            var readAhead = new ReadAhead(clock, (path, length) => Started.Add((Encoding.UTF8.GetString(path), length)));
            if (slowReadSeen)
            {
                // The clock stands still during the backup: the read ahead stays on for all of it.
                var started = readAhead.Timestamp() - clock.TimestampFrequency;
                readAhead.Timed(started, 4096);
            }
            return readAhead;
        }
    }

    private static async Task<BlobId> BackUpAsync(Core.Repository.Repository repository, string root, BlobId? parent, ReadAhead readAhead)
    {
        await using var writer = new BlobWriter(repository, CompressionSetting.Off, workers: 2, verifyDedup: false, CancellationToken.None);
        var archiver = new Archiver(writer, parent is null ? null : repository, new Chunker(repository.Config.Chunker, repository.Keys.ChunkerSeed),
            new BackupOptions(), new BackupProgress(), readAhead);
        var result = await archiver.RunAsync([root], parent);
        await writer.FlushAsync();
        return result.Tree;
    }

    private static Task<Core.Repository.Repository> NewRepositoryAsync() =>
        Core.Repository.Repository.InitAsync(new MemoryStorage(), Encoding.UTF8.GetBytes("pw"), new RepositoryInitOptions { Kdf = KdfParameters.Minimum });

    [Fact]
    public async Task After_a_slow_read_every_small_file_is_read_ahead_once_with_its_size()
    {
        await using var repository = await NewRepositoryAsync();
        var recorder = new Recorder();

        await BackUpAsync(repository, _root, null, recorder.ReadAhead(new ManualClock(), slowReadSeen: true));

        var expected = Enumerable.Range(0, 40).Select(i => (Path.Combine(_root, $"small-{i:D2}"), 1000L + i))
            .Append((Path.Combine(_root, "sub", "inner"), 3000L)).Order().ToList();
        Assert.Equal(expected, recorder.Started.Order().ToList());
    }

    [Fact]
    public async Task While_reads_are_fast_nothing_is_read_ahead()
    {
        await using var repository = await NewRepositoryAsync();
        var recorder = new Recorder();

        await BackUpAsync(repository, _root, null, recorder.ReadAhead(new ManualClock(), slowReadSeen: false));

        Assert.Empty(recorder.Started);
    }

    [Fact]
    public async Task Files_the_parent_snapshot_shows_unchanged_are_not_read_ahead()
    {
        await using var repository = await NewRepositoryAsync();
        var parent = await BackUpAsync(repository, _root, null, new Recorder().ReadAhead(new ManualClock(), slowReadSeen: false));
        var changed = Path.Combine(_root, "small-17");
        File.AppendAllText(changed, "more");
        var recorder = new Recorder();

        await BackUpAsync(repository, _root, parent, recorder.ReadAhead(new ManualClock(), slowReadSeen: true));

        Assert.Equal([(changed, 1017L + 4)], recorder.Started);
    }
}
