using Cairn.Core.Format;
using Cairn.Core.Platform;

namespace Cairn.Core.Trees;

/// <summary>One entry of a directory in a snapshot, with its complete metadata.</summary>
public sealed class Node
{
    /// <summary>The entry's name: raw bytes, not necessarily UTF-8.</summary>
    public required byte[] Name { get; init; }
    /// <summary>Its type.</summary>
    public required FileKind Kind { get; init; }
    /// <summary>Permission bits, including setuid, setgid and sticky.</summary>
    public uint Mode { get; init; }
    /// <summary>Owner user id.</summary>
    public uint Uid { get; init; }
    /// <summary>Owner group id.</summary>
    public uint Gid { get; init; }
    /// <summary>Owner user name when it had one on the source machine.</summary>
    public string? User { get; init; }
    /// <summary>Owner group name when it had one.</summary>
    public string? Group { get; init; }
    /// <summary>Size in bytes (regular files; for symlinks the target's length).</summary>
    public long Size { get; init; }
    /// <summary>Modification time.</summary>
    public PosixTime Mtime { get; init; }
    /// <summary>Access time.</summary>
    public PosixTime Atime { get; init; }
    /// <summary>Status-change time.</summary>
    public PosixTime Ctime { get; init; }
    /// <summary>Inode number on the source (change detection and, later, hard links).</summary>
    public ulong Inode { get; init; }
    /// <summary>Device number on the source.</summary>
    public ulong Device { get; init; }
    /// <summary>Hard-link count on the source.</summary>
    public uint Links { get; init; }
    /// <summary>For regular files, the IDs of the data blobs that make up the content, in order.</summary>
    public IReadOnlyList<BlobId> Content { get; init; } = [];
    /// <summary>For directories, the ID of the tree blob that lists the directory's entries.</summary>
    public BlobId? Subtree { get; init; }
    /// <summary>For symlinks, the target as raw bytes.</summary>
    public byte[]? LinkTarget { get; init; }
    /// <summary>For device files, the device number (major &lt;&lt; 32 | minor).</summary>
    public ulong Rdev { get; init; }

    /// <summary>
    /// For sparse files, the data extents: the content is their bytes one after another, and the rest of the
    /// file (up to <see cref="Size"/>) is holes. Null for a file stored whole.
    /// </summary>
    public IReadOnlyList<FileExtent>? Extents { get; init; }
    /// <summary>Inode flags set with <c>chattr</c> (<see cref="Posix.UserFlags"/>), 0 when none.</summary>
    public uint Flags { get; init; }
    /// <summary>Extended attributes, POSIX ACLs among them, sorted by name.</summary>
    public IReadOnlyList<ExtendedAttribute> Xattrs { get; init; } = [];

    /// <summary>
    /// True when the file changed every time it was read during the backup: its content is the last read, which
    /// may mix old and new data (a database being written, a log being appended to).
    /// </summary>
    public bool ChangedDuringBackup { get; init; }

    /// <summary>The name rendered for people.</summary>
    public string DisplayName => PathBytes.Display(Name);

    /// <summary>A copy marked as changed during the backup.</summary>
    public Node MarkedChangedDuringBackup() => CopyWith(Content, Subtree, changedDuringBackup: true);

    /// <summary>A copy whose directory listing is the tree <paramref name="subtree"/>.</summary>
    public Node WithSubtree(BlobId subtree) => CopyWith(Content, subtree, ChangedDuringBackup);

    /// <summary>A copy that names other blobs for the same content and listing (another repository's IDs).</summary>
    public Node WithBlobs(IReadOnlyList<BlobId> content, BlobId? subtree) => CopyWith(content, subtree, ChangedDuringBackup);

    private Node CopyWith(IReadOnlyList<BlobId> content, BlobId? subtree, bool changedDuringBackup) => new()
    {
        Name = Name, Kind = Kind, Mode = Mode, Uid = Uid, Gid = Gid, User = User, Group = Group, Size = Size,
        Mtime = Mtime, Atime = Atime, Ctime = Ctime, Inode = Inode, Device = Device, Links = Links, Content = content,
        Subtree = subtree, LinkTarget = LinkTarget, Rdev = Rdev, Extents = Extents, Flags = Flags, Xattrs = Xattrs,
        ChangedDuringBackup = changedDuringBackup,
    };

    /// <summary>Builds a node from a status, leaving content and subtree to the caller.</summary>
    public static Node FromStatus(byte[] name, FileStatus status, byte[]? linkTarget = null, IReadOnlyList<BlobId>? content = null, BlobId? subtree = null,
        IReadOnlyList<ExtendedAttribute>? xattrs = null, IReadOnlyList<FileExtent>? extents = null, uint flags = 0)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new Node
        {
            Name = name,
            Kind = status.Kind,
            Mode = status.Mode,
            Uid = status.Uid,
            Gid = status.Gid,
            User = Posix.UserName(status.Uid),
            Group = Posix.GroupName(status.Gid),
            Size = status.Kind is FileKind.File ? status.Size : status.Kind == FileKind.Symlink ? linkTarget?.Length ?? 0 : 0,
            Mtime = status.Mtime,
            Atime = status.Atime,
            Ctime = status.Ctime,
            Inode = status.Inode,
            Device = status.Device,
            Links = status.Links,
            Content = content ?? [],
            Subtree = subtree,
            LinkTarget = linkTarget,
            Rdev = status.Rdev,
            Xattrs = xattrs ?? [],
            Extents = extents,
            Flags = flags,
        };
    }
}
