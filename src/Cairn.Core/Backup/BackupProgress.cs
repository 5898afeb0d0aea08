namespace Cairn.Core.Backup;

/// <summary>
/// Live counters of a running backup, updated by the pipeline and read by whatever renders progress
/// (a terminal line, JSON lines, the GUI). Also receives warnings.
/// </summary>
public sealed class BackupProgress : OperationProgress
{
    private long _filesDone, _bytesDone, _totalFiles, _totalBytes;

    /// <summary>True when whoever shows this progress wants totals (and so a scan of the source ahead of the backup).</summary>
    public bool WantsTotals { get; set; }

    /// <summary>Entries finished so far.</summary>
    public long FilesDone => Interlocked.Read(ref _filesDone);
    /// <summary>Bytes of file content finished (read or recognised unchanged).</summary>
    public long BytesDone => Interlocked.Read(ref _bytesDone);
    /// <summary>Entries found by the scanner so far.</summary>
    public long TotalFiles => Interlocked.Read(ref _totalFiles);
    /// <summary>Bytes found by the scanner so far.</summary>
    public long TotalBytes => Interlocked.Read(ref _totalBytes);

    internal void FileDone(long bytes)
    {
        Interlocked.Increment(ref _filesDone);
        Interlocked.Add(ref _bytesDone, bytes);
    }

    internal void BytesRead(long bytes) => Interlocked.Add(ref _bytesDone, bytes);

    internal void Scanned(long bytes)
    {
        Interlocked.Increment(ref _totalFiles);
        Interlocked.Add(ref _totalBytes, bytes);
    }

}
