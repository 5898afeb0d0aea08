using Cairn.Core.Export;

namespace Cairn.Commands.Export;

/// <summary>What <c>cairn export</c> did, for people and for <c>--json</c>.</summary>
/// <param name="Snapshot">The snapshot's full ID.</param>
/// <param name="Members">Archive entries written.</param>
/// <param name="Bytes">File content bytes written.</param>
/// <param name="Volumes">The volumes, in order.</param>
/// <param name="Manifest">The manifest's path, if one was written.</param>
/// <param name="Errors">Entries whose content could not be read in full.</param>
/// <param name="Losses">Metadata the format could not carry.</param>
/// <param name="SplitFiles">Files written in parts over several volumes.</param>
public sealed record ExportCommandResult(string Snapshot, long Members, long Bytes, IReadOnlyList<WrittenVolume> Volumes, string? Manifest,
    long Errors, IReadOnlyList<ExportLoss> Losses, long SplitFiles);
