namespace Cairn.Core.Restore;

/// <summary>What to restore and how.</summary>
public sealed record RestoreOptions
{
    /// <summary>Restore only entries matching one of these patterns (and what is below them).</summary>
    public IReadOnlyList<string> Includes { get; init; } = [];
    /// <summary>Skip entries matching one of these patterns.</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];
    /// <summary>Read every restored file back and compare it with the snapshot.</summary>
    public bool Verify { get; init; }
    /// <summary>Leave owners as the restoring user (no chown).</summary>
    public bool NoOwner { get; init; }
    /// <summary>Give owners by the ids in the snapshot, not by the names.</summary>
    public bool NumericOwner { get; init; }
    /// <summary>Do not restore extended attributes (ACLs excepted).</summary>
    public bool NoXattrs { get; init; }
    /// <summary>Do not restore POSIX ACLs.</summary>
    public bool NoAcls { get; init; }
    /// <summary>Do not restore access and modification times.</summary>
    public bool NoTimes { get; init; }
    /// <summary>Do not restore chattr flags.</summary>
    public bool NoFlags { get; init; }
    /// <summary>Write zeros where sparse files had holes (for targets or tools that mishandle holes).</summary>
    public bool NoSparse { get; init; }
    /// <summary>Packs fetched at once.</summary>
    public int Workers { get; init; } = Math.Max(2, Environment.ProcessorCount * 2);
}
