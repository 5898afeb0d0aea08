using Cairn.Core.Platform;
using Cairn.Core.Trees;

namespace Cairn.Core.Archive;

/// <summary>
/// One member of a tar archive with every piece of metadata the archive carries for it: the ustar or GNU header
/// with whatever PAX records, GNU long names and sparse maps came with it already applied.
/// </summary>
public sealed class TarEntry
{
    /// <summary>The member name as raw bytes, exactly as in the archive (a leading <c>./</c> or <c>/</c> included).</summary>
    public required byte[] Path { get; init; }

    /// <summary>What the entry stands for.</summary>
    public required TarEntryType Type { get; init; }

    /// <summary>The type byte of the header (<c>'0'</c>, <c>'S'</c>, …).</summary>
    public byte TypeFlag { get; init; }

    /// <summary>For symlinks the target, for hard links the name of the earlier entry; raw bytes.</summary>
    public byte[]? LinkTarget { get; init; }

    /// <summary>Permission bits, setuid, setgid and sticky included (the low 12 bits of the mode).</summary>
    public uint Mode { get; init; }

    /// <summary>Owner user id.</summary>
    public uint Uid { get; init; }

    /// <summary>Owner group id.</summary>
    public uint Gid { get; init; }

    /// <summary>Owner user name, null when the archive names none.</summary>
    public string? UserName { get; init; }

    /// <summary>Owner group name, null when the archive names none.</summary>
    public string? GroupName { get; init; }

    /// <summary>The file's size: for a sparse file its real size, holes included.</summary>
    public long Size { get; init; }

    /// <summary>How many bytes <see cref="TarArchiveReader.ReadDataAsync"/> gives for this entry: a sparse file's data extents one after another.</summary>
    public long DataLength { get; init; }

    /// <summary>Modification time.</summary>
    public PosixTime Mtime { get; init; }

    /// <summary>Access time, when the archive has it.</summary>
    public PosixTime? Atime { get; init; }

    /// <summary>Status-change time, when the archive has it.</summary>
    public PosixTime? Ctime { get; init; }

    /// <summary>Major number of a device.</summary>
    public uint DeviceMajor { get; init; }

    /// <summary>Minor number of a device.</summary>
    public uint DeviceMinor { get; init; }

    /// <summary>Extended attributes sorted by name, POSIX ACLs among them in the kernel's binary form.</summary>
    public IReadOnlyList<ExtendedAttribute> Xattrs { get; init; } = [];

    /// <summary>For a sparse file, its data extents (no empty ones), in order; null for a file stored whole.</summary>
    public IReadOnlyList<FileExtent>? SparseMap { get; init; }

    /// <summary>Metadata the archive carries for the entry that could not be taken over (an ACL naming an unknown user).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Where the entry's first header starts in the (decompressed) archive.</summary>
    public long Offset { get; init; }

    /// <summary>The member name for people.</summary>
    public string DisplayPath => PathBytes.Display(Path);
}
