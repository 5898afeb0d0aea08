using System.Text.Json.Serialization;
using Cairn.Core.Format;
using Cairn.Core.Repository;

namespace Cairn.Core.Serialization;

/// <summary>
/// Compile-time JSON serialisers for the repository's small JSON objects: no reflection and nothing to compile
/// at run time, which every command would otherwise pay for before its first byte of work.
/// </summary>
[JsonSerializable(typeof(RepositoryConfig))]
[JsonSerializable(typeof(LockInfo))]
[JsonSerializable(typeof(DeletionNote))]
[JsonSerializable(typeof(Cairn.Core.Retention.Hold))]
[JsonSerializable(typeof(Cairn.Core.Retention.StoredPolicy))]
internal sealed partial class FormatJsonContext : JsonSerializerContext;
