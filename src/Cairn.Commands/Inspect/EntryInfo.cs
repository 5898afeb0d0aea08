using Cairn.Core.Platform;
using Cairn.Core.Trees;

namespace Cairn.Commands.Inspect;

/// <summary>One entry of a snapshot as <c>ls</c>, <c>find</c> and <c>diff</c> report it.</summary>
/// <remarks>
/// <see cref="Acl"/> and <see cref="DefaultAcl"/> are POSIX ACLs in getfacl's short text form; <see cref="Xattrs"/>
/// names the other extended attributes.
/// </remarks>
public sealed record EntryInfo(string Path, string Type, uint Mode, uint Uid, uint Gid, string? User, string? Group,
    long Size, DateTimeOffset Mtime, string? LinkTarget, string? Snapshot = null)
{
    /// <summary>The access ACL, when the entry has one.</summary>
    public string? Acl { get; init; }
    /// <summary>The default ACL of a directory, when it has one.</summary>
    public string? DefaultAcl { get; init; }
    /// <summary>Names of the extended attributes other than ACLs.</summary>
    public IReadOnlyList<string>? Xattrs { get; init; }
    /// <summary>Hard-link count on the source.</summary>
    public uint Links { get; init; }
    /// <summary>For a later name of a hard-link group in a listing, the first name listed.</summary>
    public string? HardLinkTo { get; init; }
    /// <summary>True when the file kept changing while it was read; its content is the last read.</summary>
    public bool? ChangedDuringBackup { get; init; }

    /// <summary>Converts a node found at <paramref name="path"/>.</summary>
    public static EntryInfo From(string path, Node node, string? snapshot = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        var xattrs = node.Xattrs.Where(x => !x.IsAcl).Select(x => x.DisplayName).ToList();
        return new EntryInfo(path, node.Kind.ToString().ToLowerInvariant(), node.Mode, node.Uid, node.Gid, node.User, node.Group,
            node.Size, node.Mtime.ToDateTimeOffset(), node.LinkTarget is null ? null : PathBytes.Display(node.LinkTarget), snapshot)
        {
            Acl = AclText(node, PosixAcl.AccessName),
            DefaultAcl = AclText(node, PosixAcl.DefaultName),
            Xattrs = xattrs.Count > 0 ? xattrs : null,
            ChangedDuringBackup = node.ChangedDuringBackup ? true : null,
            Links = node.Links,
        };
    }

    private static string? AclText(Node node, ReadOnlySpan<byte> name)
    {
        foreach (var x in node.Xattrs)
        {
            if (x.Name.AsSpan().SequenceEqual(name))
                return PosixAcl.Format(x.Value);
        }
        return null;
    }
}
