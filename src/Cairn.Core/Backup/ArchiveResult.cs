using Cairn.Core.Format;
using Cairn.Core.Snapshots;

namespace Cairn.Core.Backup;

/// <summary>What the archiver produced: the root tree and the run's summary.</summary>
/// <param name="Tree">The root tree's ID.</param>
/// <param name="Summary">Counts and sizes.</param>
public sealed record ArchiveResult(BlobId Tree, SnapshotSummary Summary);
