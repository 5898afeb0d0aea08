namespace Cairn.Core.Platform;

/// <summary>What <c>lstat</c> tells about one filesystem entry.</summary>
public sealed record FileStatus
{
    /// <summary>The entry's type.</summary>
    public required FileKind Kind { get; init; }
    /// <summary>Permission bits including setuid, setgid and sticky (the low 12 bits of st_mode).</summary>
    public required uint Mode { get; init; }
    /// <summary>Owner user id.</summary>
    public required uint Uid { get; init; }
    /// <summary>Owner group id.</summary>
    public required uint Gid { get; init; }
    /// <summary>Size in bytes.</summary>
    public required long Size { get; init; }
    /// <summary>Last modification.</summary>
    public required PosixTime Mtime { get; init; }
    /// <summary>Last access.</summary>
    public required PosixTime Atime { get; init; }
    /// <summary>Last status change.</summary>
    public required PosixTime Ctime { get; init; }
    /// <summary>Inode number.</summary>
    public required ulong Inode { get; init; }
    /// <summary>Device the entry lives on (major &lt;&lt; 32 | minor).</summary>
    public required ulong Device { get; init; }
    /// <summary>Number of hard links.</summary>
    public required uint Links { get; init; }
    /// <summary>For device files, the device they stand for (major &lt;&lt; 32 | minor).</summary>
    public required ulong Rdev { get; init; }
    /// <summary>512-byte blocks allocated; fewer than the size needs hints at holes.</summary>
    public long Blocks { get; init; }
    /// <summary>
    /// When the entry was made, where the filesystem records it and reports it (<see cref="Posix.Fstat"/> asks for it;
    /// some filesystems report it unasked); null otherwise. Unlike the inode number, which a new entry may get once the entry is removed, it
    /// tells one entry from another made later.
    /// </summary>
    public PosixTime? Birth { get; init; }

    /// <summary>Whether <paramref name="other"/> describes the same entry as this status (<see cref="EntryIdentity.IsSameEntryAs"/>).</summary>
    public bool IsSameEntryAs(FileStatus other) => EntryIdentity.Of(this).IsSameEntryAs(other);
}
