using Cairn.Core.Platform;

namespace Cairn.Core.Backup;

/// <summary>
/// Keeps the disk busy while files come from it rather than from the page cache. A file task reads its file with
/// blocking reads, so with a cold cache a backup of small files has one or two reads waiting at a time and the disk
/// stands half idle (measured: the corpus's text files read at 100–130 MB/s). Each file's first read asks the page
/// cache alone (<see cref="Posix.PreadIfCached"/>); once the files whose first read found its data missing add up to
/// <see cref="BurstBytes"/> within <see cref="BurstWithin"/>, each counted as at least <see cref="MinimumWeight"/>
/// and at most <see cref="MaximumWeight"/>, the walker has the kernel start reading the next <see cref="Files"/>
/// small files of each directory in the background, and goes on doing so until no such burst was seen for
/// <see cref="ActiveFor"/>. With the data in the page cache, or on a filesystem that cannot tell (NFS, FUSE), it
/// does nothing: its four system calls a file cost 3% of a warm backup of small files. A few files missing from a
/// warm cache do not turn it on (this VM's memory reclaim takes some pages of files left alone for a few seconds,
/// and a backup found a dozen or two such files at a time); with a cold cache small files miss by the thousand a
/// second, and files of a few MiB by the dozen.
/// </summary>
internal sealed class ReadAhead(TimeProvider clock, Action<byte[], long> start)
{
    /// <summary>How many of a directory's entries, from the one being started, are read ahead.</summary>
    public const int Files = 16;

    /// <summary>How many bytes of a directory's small files, from the one being started, are read ahead at most.</summary>
    public const long Bytes = 16 * 1024 * 1024;

    /// <summary>How much the files that missed the page cache within <see cref="BurstWithin"/> must hold to turn reading ahead on.</summary>
    public const long BurstBytes = 4 * 1024 * 1024;

    /// <summary>What a file that missed the page cache counts as at least: 64 small files make a burst.</summary>
    public const long MinimumWeight = BurstBytes / 64;

    /// <summary>What a file that missed the page cache counts as at most: 4 larger files make a burst.</summary>
    public const long MaximumWeight = BurstBytes / 4;

    /// <summary>The time within which files holding <see cref="BurstBytes"/> must miss the page cache to turn reading ahead on.</summary>
    public static readonly TimeSpan BurstWithin = TimeSpan.FromSeconds(1);

    /// <summary>How long reading ahead goes on after the last burst of reads that found their data missing.</summary>
    public static readonly TimeSpan ActiveFor = TimeSpan.FromSeconds(2);

    // The latest misses within the last BurstWithin, oldest first, as the clock's timestamps and weights, and their sum.
    private readonly Queue<(long At, long Weight)> _recentMisses = new();
    private long _recentWeight;
    private int _missCount;
    private readonly Lock _missesLock = new();

    // When the last burst was, as the clock's timestamp.
    private long _lastBurst = long.MinValue;

    /// <summary>Reads ahead with posix_fadvise on the system's clock.</summary>
    public ReadAhead()
        : this(TimeProvider.System, static (path, length) => Posix.AdviseWillNeed(path, length))
    {
    }

    /// <summary>Whether a burst of reads found their data missing from the page cache within the last <see cref="ActiveFor"/>.</summary>
    public bool IsActive
    {
        get
        {
            var last = Volatile.Read(ref _lastBurst);
            return last != long.MinValue && clock.GetElapsedTime(last) < ActiveFor;
        }
    }

    /// <summary>How many reads found their data missing from the page cache.</summary>
    public int UncachedReads => Volatile.Read(ref _missCount);

    /// <summary>Records that the first read of a file of <paramref name="fileSize"/> bytes found its data missing from the page cache.</summary>
    public void NoteUncachedRead(long fileSize)
    {
        var now = clock.GetTimestamp();
        var weight = Math.Clamp(fileSize, MinimumWeight, MaximumWeight);
        lock (_missesLock)
        {
            _missCount++;
            while (_recentMisses.TryPeek(out var oldest) && clock.GetElapsedTime(oldest.At, now) > BurstWithin)
                _recentWeight -= _recentMisses.Dequeue().Weight;
            _recentMisses.Enqueue((now, weight));
            _recentWeight += weight;
            if (_recentWeight < BurstBytes)
                return;
            Volatile.Write(ref _lastBurst, now);
            // The oldest misses that the rest make a burst without are dropped: a later burst that held them would
            // hold the rest too. So at most 64 are kept, however fast files miss.
            while (_recentWeight - _recentMisses.Peek().Weight >= BurstBytes)
                _recentWeight -= _recentMisses.Dequeue().Weight;
        }
    }

    /// <summary>Has the kernel start reading the first <paramref name="length"/> bytes of the file at <paramref name="path"/>.</summary>
    public void Start(byte[] path, long length) => start(path, length);
}
