namespace Cairn.Core.Format;

/// <summary>A blob's identity: the keyed hash of its plaintext (see docs/FORMAT.md, "Blob IDs").</summary>
public readonly record struct BlobId(Digest Digest)
{
    /// <inheritdoc/>
    public override string ToString() => Digest.ToString();

    /// <summary>Parses 64 hex characters.</summary>
    public static BlobId Parse(string hex) => new(Digest.Parse(hex));
}
