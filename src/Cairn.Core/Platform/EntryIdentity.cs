namespace Cairn.Core.Platform;

/// <summary>
/// What a restore keeps of an entry it made or took in, to find it again by name later: what tells it apart from
/// another put in its place (device, inode, birth time where the filesystem reports it, owner), and its mode, by
/// which <see cref="ConfinedDirectory"/> judges the entries made in a directory. A small value, so that a restore
/// that makes many directories, or holds the first names of many hard-link groups, keeps little for each.
/// </summary>
internal readonly record struct EntryIdentity(ulong Device, ulong Inode, PosixTime? Birth, uint Uid, uint Mode)
{
    /// <summary>What is kept of the entry <paramref name="status"/> describes.</summary>
    public static EntryIdentity Of(FileStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new(status.Device, status.Inode, status.Birth, status.Uid, status.Mode);
    }

    /// <summary>
    /// Whether <paramref name="other"/> describes the same entry: device, inode and, where both know it, birth time (a
    /// directory or file made in place of a removed one may get its inode number).
    /// </summary>
    public bool IsSameEntryAs(FileStatus other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Device == Device && other.Inode == Inode && (Birth is not { } birth || other.Birth is not { } otherBirth || birth == otherBirth);
    }

    /// <summary>Whether <paramref name="now"/> describes this entry still: the same one (<see cref="IsSameEntryAs"/>) with the same owner.</summary>
    public bool IsStill(FileStatus now) => IsSameEntryAs(now) && now.Uid == Uid;
}
