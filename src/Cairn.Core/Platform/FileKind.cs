namespace Cairn.Core.Platform;

/// <summary>The type of a filesystem entry, as stored in a tree node.</summary>
public enum FileKind : byte
{
    /// <summary>Unknown or not supported.</summary>
    Unknown = 0,
    /// <summary>A regular file.</summary>
    File = 1,
    /// <summary>A directory.</summary>
    Directory = 2,
    /// <summary>A symbolic link.</summary>
    Symlink = 3,
    /// <summary>A named pipe.</summary>
    Fifo = 4,
    /// <summary>A character device.</summary>
    CharDevice = 5,
    /// <summary>A block device.</summary>
    BlockDevice = 6,
    /// <summary>A Unix domain socket.</summary>
    Socket = 7,
}
