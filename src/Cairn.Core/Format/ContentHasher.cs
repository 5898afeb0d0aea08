namespace Cairn.Core.Format;

/// <summary>
/// <see cref="Digest.OfContent"/> over content that comes in pieces (a pack read back or read in windows): the same
/// hash, fed one piece at a time.
/// </summary>
public sealed class ContentHasher : IDisposable
{
    private Blake3.Hasher _hasher = Blake3.Hasher.New();

    /// <summary>Adds the next piece.</summary>
    public void Update(ReadOnlySpan<byte> piece) => _hasher.Update(piece);

    /// <summary>The digest of everything added.</summary>
    public Digest Finish() => new(_hasher.Finalize().AsSpan());

    public void Dispose() => _hasher.Dispose();
}
