namespace Cairn.Core.Restore;

/// <summary>What a restore did.</summary>
/// <param name="Files">Entries restored.</param>
/// <param name="Bytes">Content bytes written.</param>
/// <param name="Errors">Entries not restored correctly (damaged data, write failures).</param>
/// <param name="MetadataNotApplied">Entries whose owner, mode or times could not be set (e.g. not root).</param>
/// <param name="Verified">Files read back and compared when verification was asked for.</param>
public sealed record RestoreResult(long Files, long Bytes, long Errors, long MetadataNotApplied, long Verified);
