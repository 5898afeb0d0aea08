
namespace Cairn.Core.Retention;

/// <summary>What snapshots are grouped by before a policy is applied to each group (restic's <c>--group-by</c>).</summary>
[Flags]
public enum SnapshotGrouping
{
    /// <summary>One group of every snapshot.</summary>
    None = 0,
    /// <summary>By host name.</summary>
    Host = 1,
    /// <summary>By the set of backed-up paths.</summary>
    Paths = 2,
    /// <summary>By the set of tags.</summary>
    Tags = 4,
}
