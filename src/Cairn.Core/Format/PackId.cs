namespace Cairn.Core.Format;

/// <summary>A pack file's identity: the BLAKE3 hash of its stored bytes, also its file name.</summary>
public readonly record struct PackId(Digest Digest)
{
    /// <inheritdoc/>
    public override string ToString() => Digest.ToString();
}
