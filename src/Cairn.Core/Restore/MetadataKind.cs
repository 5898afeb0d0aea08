namespace Cairn.Core.Restore;

/// <summary>The kinds of metadata a restore applies, each of which a target may be unable to hold.</summary>
public enum MetadataKind
{
    /// <summary>Owner and group.</summary>
    Owner,
    /// <summary>Permission bits.</summary>
    Mode,
    /// <summary>Access and modification times.</summary>
    Times,
    /// <summary>Extended attributes other than ACLs.</summary>
    Xattr,
    /// <summary>POSIX ACLs (access and default).</summary>
    Acl,
    /// <summary>chattr flags (immutable, append-only, nodump…).</summary>
    Flags,
    /// <summary>Character and block devices, which only root may create.</summary>
    DeviceFile,
}
