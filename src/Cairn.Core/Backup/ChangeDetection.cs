namespace Cairn.Core.Backup;

/// <summary>How one path's change is detected against its parent snapshot.</summary>
/// <param name="IgnoreCtime">A changed ctime alone does not make the file changed.</param>
/// <param name="IgnoreInode">A changed inode number alone does not make the file changed.</param>
/// <param name="Rehash">The file is read even when its metadata is unchanged.</param>
public readonly record struct ChangeDetection(bool IgnoreCtime, bool IgnoreInode, bool Rehash);
