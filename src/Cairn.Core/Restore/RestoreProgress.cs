namespace Cairn.Core.Restore;

/// <summary>Live counters of a restore and its warnings.</summary>
public sealed class RestoreProgress : OperationProgress
{
    private long _filesDone, _bytesDone, _totalFiles, _totalBytes;

    /// <summary>Entries restored.</summary>
    public long FilesDone => Interlocked.Read(ref _filesDone);
    /// <summary>Content bytes written.</summary>
    public long BytesDone => Interlocked.Read(ref _bytesDone);
    /// <summary>Entries to restore (known once planning finished).</summary>
    public long TotalFiles => Interlocked.Read(ref _totalFiles);
    /// <summary>Content bytes to restore.</summary>
    public long TotalBytes => Interlocked.Read(ref _totalBytes);

    internal void Planned(long bytes)
    {
        Interlocked.Increment(ref _totalFiles);
        Interlocked.Add(ref _totalBytes, bytes);
    }

    internal void FileDone() => Interlocked.Increment(ref _filesDone);

    internal void BytesWritten(long bytes) => Interlocked.Add(ref _bytesDone, bytes);
}
