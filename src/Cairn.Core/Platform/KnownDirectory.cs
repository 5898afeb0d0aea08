namespace Cairn.Core.Platform;

/// <summary>
/// What <see cref="KnownDirectories"/> keeps of a directory a <see cref="ConfinedDirectory"/> made or took in: what
/// tells it apart from another put in its place (device, inode, birth time where the filesystem reports it, owner)
/// and the owner and mode that entries made in it are judged by. A small value, so that a restore that makes many
/// directories keeps little for each.
/// </summary>
internal readonly record struct KnownDirectory(ulong Device, ulong Inode, PosixTime? Birth, uint Uid, uint Mode)
{
    /// <summary>What is kept of the directory <paramref name="status"/> describes.</summary>
    public static KnownDirectory Of(FileStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new(status.Device, status.Inode, status.Birth, status.Uid, status.Mode);
    }

    /// <summary>
    /// Whether <paramref name="now"/> describes this directory still: the same entry, as
    /// <see cref="FileStatus.IsSameEntryAs"/> tells, with the same owner.
    /// </summary>
    public bool IsStill(FileStatus now)
    {
        ArgumentNullException.ThrowIfNull(now);
        return now.Device == Device && now.Inode == Inode && (Birth is not { } birth || now.Birth is not { } nowBirth || birth == nowBirth) && now.Uid == Uid;
    }
}
