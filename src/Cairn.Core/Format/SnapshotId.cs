namespace Cairn.Core.Format;

/// <summary>A snapshot's identity: the BLAKE3 hash of its stored bytes, also its file name.</summary>
public readonly record struct SnapshotId(Digest Digest)
{
    /// <inheritdoc/>
    public override string ToString() => Digest.ToString();

    /// <summary>The 8-character form shown to people.</summary>
    public string Short => Digest.Short;
}
