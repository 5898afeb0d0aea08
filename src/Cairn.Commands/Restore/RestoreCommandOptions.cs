namespace Cairn.Commands.Restore;

/// <summary>Options of <c>cairn restore SNAPSHOT[:PATH] --target DIR</c>.</summary>
public sealed record RestoreCommandOptions
{
    /// <summary>The snapshot, optionally with <c>:PATH</c>.</summary>
    public required string Snapshot { get; init; }
    /// <summary>Where to restore to.</summary>
    public required string Target { get; init; }
    /// <summary>Include patterns.</summary>
    public IReadOnlyList<string> Includes { get; init; } = [];
    /// <summary>Exclude patterns.</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];
    /// <summary>Read restored files back and compare them.</summary>
    public bool Verify { get; init; }
    /// <summary>Do not restore owners.</summary>
    public bool NoOwner { get; init; }
    /// <summary>Give owners by id, not by name.</summary>
    public bool NumericOwner { get; init; }
    /// <summary>Do not restore extended attributes (ACLs excepted).</summary>
    public bool NoXattrs { get; init; }
    /// <summary>Do not restore POSIX ACLs.</summary>
    public bool NoAcls { get; init; }
    /// <summary>Do not restore access and modification times.</summary>
    public bool NoTimes { get; init; }
    /// <summary>Do not restore chattr flags.</summary>
    public bool NoFlags { get; init; }
    /// <summary>Write zeros where sparse files had holes.</summary>
    public bool NoSparse { get; init; }
    /// <summary>Do not print what metadata the target could not hold (the exit code still says so).</summary>
    public bool QuietMetadataWarnings { get; init; }

    /// <summary>The arguments after <c>cairn</c> that do the same.</summary>
    public IEnumerable<string> ToArguments()
    {
        yield return "restore";
        yield return Snapshot;
        yield return CommandLine.Option("--target", Target);
        foreach (var i in Includes)
            yield return CommandLine.Option("--include", i);
        foreach (var e in Excludes)
            yield return CommandLine.Option("--exclude", e);
        if (Verify)
            yield return "--verify";
        if (NoOwner)
            yield return "--no-owner";
        if (NumericOwner)
            yield return "--numeric-owner";
        if (NoXattrs)
            yield return "--no-xattrs";
        if (NoAcls)
            yield return "--no-acls";
        if (NoTimes)
            yield return "--no-times";
        if (NoFlags)
            yield return "--no-flags";
        if (NoSparse)
            yield return "--no-sparse";
        if (QuietMetadataWarnings)
            yield return "--quiet-metadata-warnings";
    }
}
