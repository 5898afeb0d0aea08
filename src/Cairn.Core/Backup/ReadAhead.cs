using Cairn.Core.Platform;

namespace Cairn.Core.Backup;

/// <summary>
/// Keeps the disk busy while files come from it rather than from the page cache. A file task reads its file with
/// blocking reads, so with a cold cache a backup of small files has one or two reads waiting at a time and the disk
/// stands half idle (measured: the corpus's text files read at 100–130 MB/s). Once a read is slower than the page
/// cache could have made it, the walker has the kernel start reading the next <see cref="Files"/> small files of
/// each directory in the background, and goes on doing so until no read has been slow for
/// <see cref="ActiveFor"/>. With the data in the page cache it does nothing, where its three system calls a file
/// would cost about 1.5% of a first backup's CPU.
/// </summary>
internal sealed class ReadAhead(TimeProvider clock, Action<byte[], long> start)
{
    /// <summary>How many of a directory's entries, from the one being started, are read ahead.</summary>
    public const int Files = 16;

    /// <summary>How long reading ahead goes on after the last slow read.</summary>
    public static readonly TimeSpan ActiveFor = TimeSpan.FromSeconds(2);

    // When the last slow read ended, as the clock's timestamp; 0 until one was.
    private long _lastSlowRead;

    /// <summary>Reads ahead with posix_fadvise on the system's clock.</summary>
    public ReadAhead()
        : this(TimeProvider.System, static (path, length) => Posix.AdviseWillNeed(path, length))
    {
    }

    /// <summary>Whether a read was slow within the last <see cref="ActiveFor"/>.</summary>
    public bool IsActive
    {
        get
        {
            var last = Volatile.Read(ref _lastSlowRead);
            return last != 0 && clock.GetElapsedTime(last) < ActiveFor;
        }
    }

    /// <summary>A timestamp to pass to <see cref="Timed"/> when the read it starts ends.</summary>
    public long Timestamp() => clock.GetTimestamp();

    /// <summary>
    /// Records a read of <paramref name="bytes"/> that began at <paramref name="started"/>: one that took longer than
    /// 50 µs plus 1 µs a kilobyte (the page cache copies many times faster, even on a slow virtual machine; a disk
    /// takes longer for the first byte alone) starts reading ahead.
    /// </summary>
    public void Timed(long started, int bytes)
    {
        var now = clock.GetTimestamp();
        if (clock.GetElapsedTime(started, now).TotalMicroseconds > 50 + bytes / 1000.0)
            Volatile.Write(ref _lastSlowRead, now);
    }

    /// <summary>Has the kernel start reading the first <paramref name="length"/> bytes of the file at <paramref name="path"/>.</summary>
    public void Start(byte[] path, long length) => start(path, length);
}
