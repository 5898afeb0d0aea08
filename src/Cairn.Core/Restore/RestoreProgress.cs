namespace Cairn.Core.Restore;

/// <summary>Live counters of a restore and its warnings.</summary>
public class RestoreProgress
{
    private long _filesDone, _bytesDone, _totalFiles, _totalBytes, _errors;

    /// <summary>Entries restored.</summary>
    public long FilesDone => Interlocked.Read(ref _filesDone);
    /// <summary>Content bytes written.</summary>
    public long BytesDone => Interlocked.Read(ref _bytesDone);
    /// <summary>Entries to restore (known once planning finished).</summary>
    public long TotalFiles => Interlocked.Read(ref _totalFiles);
    /// <summary>Content bytes to restore.</summary>
    public long TotalBytes => Interlocked.Read(ref _totalBytes);
    /// <summary>Entries that could not be restored completely.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    internal void Planned(long bytes)
    {
        Interlocked.Increment(ref _totalFiles);
        Interlocked.Add(ref _totalBytes, bytes);
    }

    internal void FileDone() => Interlocked.Increment(ref _filesDone);

    internal void BytesWritten(long bytes) => Interlocked.Add(ref _bytesDone, bytes);

    /// <summary>Reports an entry that was not restored correctly.</summary>
    public void Error(string path, string message)
    {
        Interlocked.Increment(ref _errors);
        OnWarning(path, message);
    }

    /// <summary>Reports something worth knowing that does not make the restore wrong.</summary>
    public void Warning(string path, string message) => OnWarning(path, message);

    /// <summary>Called for each warning and error; renderers override it.</summary>
    protected virtual void OnWarning(string path, string message)
    {
    }
}
