namespace Cairn.Storage;

/// <summary>
/// The bytes of one object to store that can be read from any offset and more than once (an upload that is retried
/// or read back), without lying in memory whole: a pack spooled to a file.
/// </summary>
public interface IObjectContent
{
    /// <summary>How many bytes the object has.</summary>
    long Length { get; }

    /// <summary>Reads up to <c>buffer.Length</c> bytes from <paramref name="offset"/>; returns how many (fewer only at the end).</summary>
    int Read(long offset, Span<byte> buffer);
}
