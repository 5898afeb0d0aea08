using Cairn.Core.Restore;

namespace Cairn.Cli;

/// <summary>
/// Words the metadata a restore could not apply: one line per reason, naming each kind with its count, e.g.
/// <c>warning: 1,203 ACLs and 17 xattrs were not restored: the target filesystem does not support them (e.g. /t/a)</c>.
/// </summary>
internal static class MetadataWarnings
{
    public static IEnumerable<string> Lines(IReadOnlyList<DroppedMetadata> dropped)
    {
        foreach (var reason in dropped.GroupBy(d => d.Reason))
        {
            var parts = reason.Select(d => $"{Humanize.Count(d.Count)} {Noun(d.Kind, d.Count)}").ToList();
            var list = parts.Count == 1 ? parts[0] : string.Join(", ", parts[..^1]) + " and " + parts[^1];
            yield return $"warning: {list} {(reason.Sum(d => d.Count) == 1 ? "was" : "were")} not restored: {reason.Key} (e.g. {reason.First().Example})";
        }
    }

    private static string Noun(MetadataKind kind, long count) => (kind, count == 1) switch
    {
        (MetadataKind.Owner, true) => "owner",
        (MetadataKind.Owner, false) => "owners",
        (MetadataKind.Mode, true) => "mode",
        (MetadataKind.Mode, false) => "modes",
        (MetadataKind.Times, _) => count == 1 ? "set of times" : "sets of times",
        (MetadataKind.Xattr, true) => "xattr",
        (MetadataKind.Xattr, false) => "xattrs",
        (MetadataKind.Acl, true) => "ACL",
        (MetadataKind.Flags, _) => count == 1 ? "set of file flags" : "sets of file flags",
        (MetadataKind.DeviceFile, true) => "device file",
        (MetadataKind.DeviceFile, false) => "device files",
        _ => "ACLs",
    };
}
