using Cairn.Core.Backup;
using Cairn.Core.Chunking;
using Cairn.Core.Format;
using Cairn.Core.Snapshots;
using Cairn.Core.Trees;

namespace Cairn.Core.Tests.Backup;

/// <summary>Backs one file up into memory, running <c>beforeFirstData</c> when its first data blob arrives (to change the file mid-backup).</summary>
internal static class SingleFileBackup
{
    public static async Task<(Node Node, RecordingBlobSaver Saver, SnapshotSummary Summary)> RunAsync(string path, int retries, Action beforeFirstData)
    {
        var keys = TestData.Keys();
        var saver = new RecordingBlobSaver(keys) { BeforeFirstData = beforeFirstData };
        var archiver = new Archiver(saver, null, new Chunker(ChunkerParameters.Default, keys.ChunkerSeed),
            new BackupOptions { RetryChanged = retries }, new BackupProgress());
        var result = await archiver.RunAsync([path], null);
        return (saver.Find(result.Tree, Path.GetFileName(path)), saver, result.Summary);
    }
}
