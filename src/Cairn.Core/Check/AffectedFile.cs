namespace Cairn.Core.Check;

/// <summary>A file in a snapshot that cannot be restored completely because of damage.</summary>
/// <param name="Snapshot">The snapshot's short ID.</param>
/// <param name="Path">The file's path in the snapshot.</param>
public sealed record AffectedFile(string Snapshot, string Path);
