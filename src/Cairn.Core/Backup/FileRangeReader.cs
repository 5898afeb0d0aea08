using Cairn.Core.Platform;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Backup;

/// <summary>
/// Reads a file's bytes in order for the chunker: all of them, or only its data <paramref name="extents"/> one after
/// another. A read of a whole file that stops short at exactly the size its status gave ends the file, without a
/// second read just to see the end (most files are read in one request).
/// </summary>
internal sealed class FileRangeReader(SafeFileHandle handle, long statusSize, List<FileExtent>? extents, PositionalRead read)
{
    private readonly List<FileExtent> _ranges = extents ?? [new FileExtent(0, long.MaxValue)];
    private int _range;
    private long _inRange;

    /// <summary>The bytes the file is expected to hold: its size, or the sum of its data extents.</summary>
    public long ExpectedSize { get; } = extents?.Sum(e => e.Length) ?? statusSize;

    /// <summary>Fills the start of <paramref name="into"/>; returns how many bytes it put there, 0 at the end.</summary>
    public int Read(Span<byte> into)
    {
        if (_range == _ranges.Count)
            return 0;
        var want = (int)Math.Min(into.Length, _ranges[_range].Length - _inRange);
        var n = read(handle, into[..want], _ranges[_range].Offset + _inRange);
        if (n == 0)
            return 0;
        _inRange += n;
        if (_inRange == _ranges[_range].Length)
        {
            _range++;
            _inRange = 0;
        }
        else if (extents is null && n < want && _inRange == ExpectedSize)
        {
            // Fewer bytes than asked for, and exactly the size the file had: it ends here. A file that grew before
            // this read gave more; one that grows after it is caught by the status taken once it is read.
            _range = _ranges.Count;
        }
        return n;
    }
}
