namespace Cairn.Core.Platform;

/// <summary>A range of a file that holds data (not a hole).</summary>
/// <param name="Offset">Where it starts.</param>
/// <param name="Length">How many bytes.</param>
public readonly record struct FileExtent(long Offset, long Length)
{
    /// <summary>The first byte after it.</summary>
    public long End => Offset + Length;
}
