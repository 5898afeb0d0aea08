namespace Cairn.Core.Restore;

/// <summary>What a restore did.</summary>
/// <param name="Files">Entries restored.</param>
/// <param name="Bytes">Content bytes written.</param>
/// <param name="Errors">Entries not restored correctly (damaged data, write failures).</param>
/// <param name="MetadataNotApplied">Entries of which some metadata could not be applied (e.g. not root, a vfat target).</param>
/// <param name="Verified">Files read back and compared when verification was asked for.</param>
/// <param name="Dropped">What metadata the target could not hold, by kind and reason.</param>
public sealed record RestoreResult(long Files, long Bytes, long Errors, long MetadataNotApplied, long Verified, IReadOnlyList<DroppedMetadata> Dropped);
