using System.Text;
using Cairn.Core.Format;
using Cairn.Core.Platform;

namespace Cairn.Core.Trees;

/// <summary>
/// Encodes a directory's nodes as a tree blob: varint version (1), varint required-features bitset (0),
/// varint entry count, then each node as tagged fields (varint tag, varint length, value) ending with tag 0.
/// Nodes are sorted by name bytes, so equal directories encode to equal bytes and deduplicate.
/// </summary>
public static class TreeCodec
{
    /// <summary>Required-features bit: some node has data extents (a reader that ignored them would misplace content).</summary>
    public const ulong SparseFeature = 1;

    /// <summary>Features this reader understands.</summary>
    private const ulong KnownFeatures = SparseFeature;

    /// <summary>Encodes nodes, which must have distinct names; they are sorted here.</summary>
    public static byte[] Encode(IReadOnlyList<Node> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var sorted = nodes.ToArray();
        Array.Sort(sorted, static (a, b) => a.Name.AsSpan().SequenceCompareTo(b.Name));
        var w = new VarintWriter(256 + sorted.Length * 96);
        w.WriteUInt(1);
        w.WriteUInt(sorted.Any(n => n.Extents is not null) ? SparseFeature : 0);
        w.WriteUInt((ulong)sorted.Length);
        foreach (var n in sorted)
            EncodeNode(w, n);
        return w.ToArray();
    }

    private static void EncodeNode(VarintWriter w, Node n)
    {
        w.WriteBytesField((uint)NodeField.Name, n.Name);
        w.WriteUIntField((uint)NodeField.Kind, (byte)n.Kind);
        w.WriteUIntField((uint)NodeField.Mode, n.Mode);
        w.WriteUIntField((uint)NodeField.Uid, n.Uid);
        w.WriteUIntField((uint)NodeField.Gid, n.Gid);
        if (n.User is not null)
            w.WriteBytesField((uint)NodeField.User, Encoding.UTF8.GetBytes(n.User));
        if (n.Group is not null)
            w.WriteBytesField((uint)NodeField.Group, Encoding.UTF8.GetBytes(n.Group));
        if (n.Size != 0)
            w.WriteUIntField((uint)NodeField.Size, (ulong)n.Size);
        w.WriteTimeField((uint)NodeField.Mtime, n.Mtime);
        w.WriteTimeField((uint)NodeField.Atime, n.Atime);
        w.WriteTimeField((uint)NodeField.Ctime, n.Ctime);
        w.WriteUIntField((uint)NodeField.Inode, n.Inode);
        w.WriteUIntField((uint)NodeField.Device, n.Device);
        w.WriteUIntField((uint)NodeField.Links, n.Links);
        if (n.Content.Count > 0)
        {
            var ids = new byte[n.Content.Count * Digest.Length];
            for (var i = 0; i < n.Content.Count; i++)
                n.Content[i].Digest.CopyTo(ids.AsSpan(i * Digest.Length));
            w.WriteBytesField((uint)NodeField.Content, ids);
        }
        if (n.Subtree is { } subtree)
            w.WriteBytesField((uint)NodeField.Subtree, subtree.Digest.ToArray());
        if (n.LinkTarget is not null)
            w.WriteBytesField((uint)NodeField.LinkTarget, n.LinkTarget);
        if (n.Rdev != 0)
            w.WriteUIntField((uint)NodeField.Rdev, n.Rdev);
        foreach (var x in n.Xattrs)
        {
            var field = new VarintWriter(x.Name.Length + x.Value.Length + 4);
            field.WriteUInt((ulong)x.Name.Length);
            field.WriteBytes(x.Name);
            field.WriteBytes(x.Value);
            w.WriteBytesField((uint)NodeField.Xattr, field.ToArray());
        }
        if (n.Extents is { } extents)
        {
            var field = new VarintWriter(4 + extents.Count * 8);
            field.WriteUInt((ulong)extents.Count);
            long end = 0;
            foreach (var e in extents)
            {
                field.WriteUInt((ulong)(e.Offset - end));
                field.WriteUInt((ulong)e.Length);
                end = e.End;
            }
            w.WriteBytesField((uint)NodeField.Extents, field.ToArray());
        }
        if (n.Flags != 0)
            w.WriteUIntField((uint)NodeField.Flags, n.Flags);
        if (n.ChangedDuringBackup)
            w.WriteUIntField((uint)NodeField.ChangedDuringBackup, 1);
        w.WriteUInt((uint)NodeField.End);
    }

    /// <summary>Decodes a tree blob.</summary>
    /// <exception cref="RepositoryCorruptException">When the bytes are not a valid tree.</exception>
    public static List<Node> Decode(ReadOnlySpan<byte> bytes, string where)
    {
        try
        {
            var r = new VarintReader(bytes);
            var version = r.ReadUInt();
            if (version != 1)
                throw new RepositoryCorruptException(where, $"tree version {version} is not supported by this version of Cairn");
            var features = r.ReadUInt();
            if ((features & ~KnownFeatures) != 0)
                throw new RepositoryCorruptException(where, $"tree needs features 0x{features:x} that this version of Cairn does not know; upgrade Cairn");
            var count = r.ReadUInt();
            var nodes = new List<Node>((int)Math.Min(count, 65536));
            var owners = new OwnerNames();
            for (ulong i = 0; i < count; i++)
                nodes.Add(DecodeNode(ref r, where, ref owners));
            if (!r.AtEnd)
                throw new RepositoryCorruptException(where, "tree has trailing bytes");
            return nodes;
        }
        catch (FormatException e)
        {
            throw new RepositoryCorruptException(where, "tree does not decode: " + e.Message, e);
        }
    }

    private static Node DecodeNode(ref VarintReader r, string where, ref OwnerNames owners)
    {
        byte[]? name = null;
        var kind = FileKind.Unknown;
        uint mode = 0, uid = 0, gid = 0, links = 0;
        string? user = null, group = null;
        long size = 0;
        PosixTime mtime = default, atime = default, ctime = default;
        ulong inode = 0, device = 0, rdev = 0;
        BlobId[] content = [];
        BlobId? subtree = null;
        byte[]? target = null;
        List<ExtendedAttribute>? xattrs = null;
        List<FileExtent>? extents = null;
        uint flags = 0;
        var changedDuringBackup = false;
        while (true)
        {
            var tag = (NodeField)r.ReadUInt();
            if (tag == NodeField.End)
                break;
            var length = r.ReadUInt();
            if (length > int.MaxValue)
                throw new FormatException("field length out of range");
            var value = r.ReadBytes((int)length);
            var v = new VarintReader(value);
            switch (tag)
            {
                case NodeField.Name: name = value.ToArray(); break;
                case NodeField.Kind: kind = (FileKind)v.ReadUInt(); break;
                case NodeField.Mode: mode = (uint)v.ReadUInt(); break;
                case NodeField.Uid: uid = (uint)v.ReadUInt(); break;
                case NodeField.Gid: gid = (uint)v.ReadUInt(); break;
                case NodeField.User: user = owners.User(value); break;
                case NodeField.Group: group = owners.Group(value); break;
                case NodeField.Size: size = (long)v.ReadUInt(); break;
                case NodeField.Mtime: mtime = v.ReadTime(); break;
                case NodeField.Atime: atime = v.ReadTime(); break;
                case NodeField.Ctime: ctime = v.ReadTime(); break;
                case NodeField.Inode: inode = v.ReadUInt(); break;
                case NodeField.Device: device = v.ReadUInt(); break;
                case NodeField.Links: links = (uint)v.ReadUInt(); break;
                case NodeField.Content:
                    if (value.Length % Digest.Length != 0)
                        throw new FormatException("content list length is not a multiple of 32");
                    content = new BlobId[value.Length / Digest.Length];
                    for (var i = 0; i < content.Length; i++)
                        content[i] = new BlobId(new Digest(value[(i * Digest.Length)..]));
                    break;
                case NodeField.Subtree:
                    if (value.Length != Digest.Length)
                        throw new FormatException("subtree ID is not 32 bytes");
                    subtree = new BlobId(new Digest(value));
                    break;
                case NodeField.LinkTarget: target = value.ToArray(); break;
                case NodeField.Rdev: rdev = v.ReadUInt(); break;
                case NodeField.Flags: flags = (uint)v.ReadUInt(); break;
                case NodeField.ChangedDuringBackup: changedDuringBackup = v.ReadUInt() != 0; break;
                case NodeField.Extents:
                    var count = v.ReadUInt();
                    if (count > (ulong)value.Length)
                        throw new FormatException("extent count out of range");
                    extents = new List<FileExtent>((int)count);
                    long end = 0;
                    for (ulong i = 0; i < count; i++)
                    {
                        var gap = v.ReadUInt();
                        var extentLength = v.ReadUInt();
                        if (gap > long.MaxValue / 2 || extentLength == 0 || extentLength > long.MaxValue / 2 || end + (long)gap > long.MaxValue / 2)
                            throw new FormatException("extent out of range");
                        extents.Add(new FileExtent(end + (long)gap, (long)extentLength));
                        end = extents[^1].End;
                    }
                    break;
                case NodeField.Xattr:
                    var nameLength = v.ReadUInt();
                    if (nameLength == 0 || nameLength > (ulong)value.Length)
                        throw new FormatException("extended attribute name length out of range");
                    var xattrName = v.ReadBytes((int)nameLength).ToArray();
                    (xattrs ??= []).Add(new ExtendedAttribute(xattrName, v.ReadBytes(v.Remaining).ToArray()));
                    break;
                default: break; // an optional field from a newer writer: skipped
            }
        }
        if (name is null || name.Length == 0)
            throw new RepositoryCorruptException(where, "tree entry without a name");
        return new Node
        {
            Name = name, Kind = kind, Mode = mode, Uid = uid, Gid = gid, User = user, Group = group, Size = size,
            Mtime = mtime, Atime = atime, Ctime = ctime, Inode = inode, Device = device, Links = links,
            Content = content, Subtree = subtree, LinkTarget = target, Rdev = rdev, Xattrs = xattrs ?? [], Extents = extents, Flags = flags,
            ChangedDuringBackup = changedDuringBackup,
        };
    }

    /// <summary>
    /// The user and group names of a tree's previous node: the entries of a directory mostly share an owner, so
    /// they share one string instead of each node holding two of its own.
    /// </summary>
    private struct OwnerNames
    {
        private (byte[] Bytes, string Text)? _user, _group;

        public string User(ReadOnlySpan<byte> value) => Decode(value, ref _user);

        public string Group(ReadOnlySpan<byte> value) => Decode(value, ref _group);

        private static string Decode(ReadOnlySpan<byte> value, ref (byte[] Bytes, string Text)? last)
        {
            if (last is { } known && value.SequenceEqual(known.Bytes))
                return known.Text;
            var text = Encoding.UTF8.GetString(value);
            last = (value.ToArray(), text);
            return text;
        }
    }
}
