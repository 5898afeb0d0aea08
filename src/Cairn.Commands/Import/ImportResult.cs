using Cairn.Core.Archive;
using Cairn.Core.Snapshots;

namespace Cairn.Commands.Import;

/// <summary>What <c>cairn import</c> did.</summary>
/// <param name="SnapshotId">The new snapshot.</param>
/// <param name="Summary">Counts and sizes; <c>errors</c> counts the entries left out.</param>
/// <param name="MetadataNotImported">Entries imported without some of the metadata the archive carries for them.</param>
/// <param name="Compression">How the archive was compressed.</param>
/// <param name="ExportHeader">True when the archive started with a Cairn export's header block.</param>
public sealed record ImportResult(string SnapshotId, SnapshotSummary Summary, long MetadataNotImported, ArchiveCompression Compression, bool ExportHeader);
