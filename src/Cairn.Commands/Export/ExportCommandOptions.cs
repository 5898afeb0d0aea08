using Cairn.Core.Export;

namespace Cairn.Commands.Export;

/// <summary>Options of <c>cairn export SNAPSHOT[:PATH] -o FILE|DEVICE|-</c>.</summary>
public sealed record ExportCommandOptions
{
    /// <summary>The snapshot, optionally with <c>:PATH</c>.</summary>
    public required string Snapshot { get; init; }
    /// <summary>A file, a device, or "-" for standard output.</summary>
    public required string Output { get; init; }
    /// <summary>The archive format.</summary>
    public ExportFormat Format { get; init; } = ExportFormat.Pax;
    /// <summary>Put the 32 KiB plain-text header in front of each archive.</summary>
    public bool Header { get; init; }
    /// <summary>"zstd", "gzip" or "none".</summary>
    public string Compress { get; init; } = "none";
    /// <summary>A shell command the archive is piped through (after compression), e.g. gpg.</summary>
    public string? Filter { get; init; }
    /// <summary>The command that undoes <see cref="Filter"/>, for the header; guessed for well-known filters.</summary>
    public string? FilterRestore { get; init; }
    /// <summary>The most bytes per volume, header included (before compression), or null for one archive.</summary>
    public long? VolumeSize { get; init; }
    /// <summary>The archive's record size, and the size of every write to a character device.</summary>
    public int BlockSize { get; init; } = 10240;
    /// <summary>Read every volume back after writing it and compare.</summary>
    public bool Verify { get; init; }
    /// <summary>Where the list of members per volume goes (default with volumes: OUTPUT.manifest).</summary>
    public string? Manifest { get; init; }
}
