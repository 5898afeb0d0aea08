namespace Cairn.Core.Trees;

/// <summary>
/// Field tags of the tree encoding (docs/FORMAT.md, "Trees"). A tag is never reused; readers skip tags they do
/// not know, and a tree that needs a reader to understand a new field says so in its required-features word.
/// </summary>
internal enum NodeField : uint
{
    End = 0,
    Name = 1,
    Kind = 2,
    Mode = 3,
    Uid = 4,
    Gid = 5,
    User = 6,
    Group = 7,
    Size = 8,
    Mtime = 9,
    Atime = 10,
    Ctime = 11,
    Inode = 12,
    Device = 13,
    Links = 14,
    Content = 15,
    Subtree = 16,
    LinkTarget = 17,
    Rdev = 18,
    Xattr = 19,
    Extents = 20,
    Flags = 21,
    ChangedDuringBackup = 24,
    // Reserved for the metadata issue, so that they fit without a format change:
    // 19 extended attributes, 20 sparse extents (a required feature), 21 file flags (chattr),
    // 22 birth time, 23 hard-link group.
}
