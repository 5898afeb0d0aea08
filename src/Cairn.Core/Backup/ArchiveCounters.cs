namespace Cairn.Core.Backup;

/// <summary>Thread-safe tallies of what the archiver did, turned into the snapshot's summary at the end.</summary>
internal sealed class ArchiveCounters
{
    public long FilesNew;
    public long FilesChanged;
    public long FilesUnmodified;
    public long Directories;
    public long TotalEntries;
    public long TotalBytes;
    public long BytesRead;
    public long FilesReread;
    public long FilesChangedDuringBackup;
    public long FilesSilentlyChanged;

    public void Add(ref long counter, long value = 1) => Interlocked.Add(ref counter, value);
}
