using Cairn.Core.Platform;

namespace Cairn.Core.Backup;

/// <summary>
/// Keeps the disk busy while files come from it rather than from the page cache. A file task reads its file with
/// blocking reads, so with a cold cache a backup of small files has one or two reads waiting at a time and the disk
/// stands half idle (measured: the corpus's text files read at 100–130 MB/s). Each file's first read asks the page
/// cache alone (<see cref="Posix.PreadIfCached"/>); once one finds its data missing, the walker has the kernel start
/// reading the next <see cref="Files"/> small files of each directory in the background, and goes on doing so
/// until no such read was seen for <see cref="ActiveFor"/>. With the data in the page cache, or on a filesystem
/// that cannot tell (NFS, FUSE), it does nothing: its three system calls a file would cost about 1.5% of a warm
/// first backup's CPU, and on a network filesystem two round trips a file on the walker.
/// </summary>
internal sealed class ReadAhead(TimeProvider clock, Action<byte[], long> start)
{
    /// <summary>How many of a directory's entries, from the one being started, are read ahead.</summary>
    public const int Files = 16;

    /// <summary>How many bytes of a directory's small files, from the one being started, are read ahead at most.</summary>
    public const long Bytes = 16 * 1024 * 1024;

    /// <summary>How long reading ahead goes on after the last read that found its data missing from the page cache.</summary>
    public static readonly TimeSpan ActiveFor = TimeSpan.FromSeconds(2);

    // When the last read that found its data missing from the page cache was, as the clock's timestamp.
    private long _lastUncachedRead = long.MinValue;

    /// <summary>Reads ahead with posix_fadvise on the system's clock.</summary>
    public ReadAhead()
        : this(TimeProvider.System, static (path, length) => Posix.AdviseWillNeed(path, length))
    {
    }

    /// <summary>Whether a read found its data missing from the page cache within the last <see cref="ActiveFor"/>.</summary>
    public bool IsActive
    {
        get
        {
            var last = Volatile.Read(ref _lastUncachedRead);
            return last != long.MinValue && clock.GetElapsedTime(last) < ActiveFor;
        }
    }

    /// <summary>Records a read that found its data missing from the page cache.</summary>
    public void NoteUncachedRead() => Volatile.Write(ref _lastUncachedRead, clock.GetTimestamp());

    /// <summary>Has the kernel start reading the first <paramref name="length"/> bytes of the file at <paramref name="path"/>.</summary>
    public void Start(byte[] path, long length) => start(path, length);
}
