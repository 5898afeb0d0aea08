using System.Text.Json.Serialization;
using Cairn.Commands.Backup;
using Cairn.Commands.Copy;
using Cairn.Commands.Export;
using Cairn.Commands.Forget;
using Cairn.Commands.Import;
using Cairn.Commands.Init;
using Cairn.Commands.Inspect;
using Cairn.Commands.Jobs;
using Cairn.Commands.Keys;
using Cairn.Core.Check;
using Cairn.Core.Repair;
using Cairn.Core.Restore;
using Cairn.Core.Retention;

namespace Cairn.Cli.Json;

/// <summary>
/// Compile-time serialisers for everything <c>--json</c> prints: no reflection at run time (a startup cost, and
/// unavailable in a natively compiled binary). <see cref="CliContext.JsonOptions"/> resolves types through it alone,
/// so a type missing here fails its test instead of a user's script.
/// </summary>
[JsonSerializable(typeof(BackupResult))]
[JsonSerializable(typeof(CheckResult))]
[JsonSerializable(typeof(CopyResult))]
[JsonSerializable(typeof(ExportCommandResult))]
[JsonSerializable(typeof(ForgetResult))]
[JsonSerializable(typeof(ImportResult))]
[JsonSerializable(typeof(InitResult))]
[JsonSerializable(typeof(RestoreResult))]
[JsonSerializable(typeof(IndexRepairResult))]
[JsonSerializable(typeof(SnapshotRepairResult))]
[JsonSerializable(typeof(RepositoryStats))]
[JsonSerializable(typeof(SnapshotContentStats))]
[JsonSerializable(typeof(List<SnapshotInfo>))]
[JsonSerializable(typeof(List<EntryInfo>))]
[JsonSerializable(typeof(List<DiffEntry>))]
[JsonSerializable(typeof(List<KeyInfo>))]
[JsonSerializable(typeof(List<Hold>))]
[JsonSerializable(typeof(Hold))]
[JsonSerializable(typeof(List<StoredPolicy>))]
[JsonSerializable(typeof(StoredPolicy))]
[JsonSerializable(typeof(JobRecord))]
[JsonSerializable(typeof(List<JobListing>))]
[JsonSerializable(typeof(PruneReport))]
[JsonSerializable(typeof(JobFileReport))]
[JsonSerializable(typeof(RemovedKeyReport))]
[JsonSerializable(typeof(RemovedLocksReport))]
[JsonSerializable(typeof(ReleasedHoldsReport))]
[JsonSerializable(typeof(List<ServerUserListing>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
