namespace Cairn.Commands.Inspect;

/// <summary>What one snapshot holds, as <c>cairn stats SNAPSHOT</c> reports it.</summary>
/// <param name="Snapshot">The snapshot's short ID.</param>
/// <param name="Entries">Entries of every kind.</param>
/// <param name="Files">Regular files (each name counted).</param>
/// <param name="Bytes">Their logical size (each name counted; holes included).</param>
/// <param name="HardLinkGroups">Files with several names in the snapshot.</param>
/// <param name="HardLinkNames">Names those groups have in the snapshot.</param>
/// <param name="SparseFiles">Files stored as data extents and holes.</param>
/// <param name="EntriesWithXattrs">Entries with extended attributes other than ACLs.</param>
/// <param name="EntriesWithAcls">Entries with a POSIX ACL.</param>
/// <param name="ChangedDuringBackup">Files marked as changed while they were read.</param>
public sealed record SnapshotContentStats(string Snapshot, long Entries, long Files, long Bytes, long HardLinkGroups, long HardLinkNames,
    long SparseFiles, long EntriesWithXattrs, long EntriesWithAcls, long ChangedDuringBackup);
