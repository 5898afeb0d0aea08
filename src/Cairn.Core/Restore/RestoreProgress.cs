namespace Cairn.Core.Restore;

/// <summary>Live counters of a restore and its warnings.</summary>
public sealed class RestoreProgress : OperationProgress
{
    private long _filesDone, _bytesDone, _totalFiles, _totalBytes;
    private volatile bool _planned;
    private long _expectedFiles, _expectedBytes;

    /// <summary>Entries restored.</summary>
    public long FilesDone => Interlocked.Read(ref _filesDone);
    /// <summary>Content bytes written.</summary>
    public long BytesDone => Interlocked.Read(ref _bytesDone);
    /// <summary>Entries to restore: those planned so far, all of them once <see cref="AllPlanned"/>.</summary>
    public long TotalFiles => Interlocked.Read(ref _totalFiles);
    /// <summary>Content bytes to restore: those of the files planned so far, all of them once <see cref="AllPlanned"/>.</summary>
    public long TotalBytes => Interlocked.Read(ref _totalBytes);
    /// <summary>
    /// Whether every entry to restore is planned, so that the totals are final: a restore plans a batch of files
    /// ahead of those it writes, not the whole tree first.
    /// </summary>
    public bool AllPlanned => _planned;
    /// <summary>Entries the restore is expected to hold, from the snapshot's summary; 0 when unknown.</summary>
    public long ExpectedFiles => Interlocked.Read(ref _expectedFiles);
    /// <summary>Content bytes the restore is expected to hold, from the snapshot's summary; 0 when unknown.</summary>
    public long ExpectedBytes => Interlocked.Read(ref _expectedBytes);

    /// <summary>
    /// Says what the restore is expected to hold before planning has counted it: a whole snapshot's summary, when
    /// the restore takes all of it.
    /// </summary>
    public void Expect(long files, long bytes)
    {
        Interlocked.Exchange(ref _expectedFiles, files);
        Interlocked.Exchange(ref _expectedBytes, bytes);
    }

    internal void Planned(long bytes)
    {
        Interlocked.Increment(ref _totalFiles);
        Interlocked.Add(ref _totalBytes, bytes);
    }

    internal void PlanningDone() => _planned = true;

    internal void FileDone() => Interlocked.Increment(ref _filesDone);

    internal void BytesWritten(long bytes) => Interlocked.Add(ref _bytesDone, bytes);
}
