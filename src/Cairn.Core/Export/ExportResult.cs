namespace Cairn.Core.Export;

/// <summary>What an export wrote.</summary>
/// <param name="Members">Entries written (parts of split files counted once each).</param>
/// <param name="Bytes">File content bytes written.</param>
/// <param name="Volumes">The archives, in order.</param>
/// <param name="Errors">Entries whose content could not be read in full (written with zeros in place of the lost data).</param>
/// <param name="Losses">Metadata the format could not carry.</param>
/// <param name="SplitFiles">Files larger than a volume's room, written as numbered parts.</param>
public sealed record ExportResult(long Members, long Bytes, IReadOnlyList<ExportVolume> Volumes, long Errors, IReadOnlyList<ExportLoss> Losses, long SplitFiles);
