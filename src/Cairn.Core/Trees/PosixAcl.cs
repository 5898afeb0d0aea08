using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Cairn.Core.Trees;

/// <summary>
/// Renders the kernel's binary form of a POSIX ACL (the value of <c>system.posix_acl_access</c> or
/// <c>_default</c>: a 4-byte version 2, then 8-byte entries of tag, permissions and id) in getfacl's short text
/// form, e.g. <c>user::rw-,user:1000:r--,group::r--,mask::r--,other::r--</c>, with numeric ids; and parses
/// text forms back into the binary one.
/// </summary>
public static class PosixAcl
{
    private const ushort UserObj = 0x01, User = 0x02, GroupObj = 0x04, Group = 0x08, Mask = 0x10, Other = 0x20;
    private const uint UndefinedId = uint.MaxValue; // the id of the entries without a qualifier

    /// <summary>The access ACL's attribute name.</summary>
    public static ReadOnlySpan<byte> AccessName => "system.posix_acl_access"u8;

    /// <summary>The default ACL's attribute name (directories).</summary>
    public static ReadOnlySpan<byte> DefaultName => "system.posix_acl_default"u8;

    /// <summary>The text form, or null when the value is not a version-2 ACL.</summary>
    public static string? Format(ReadOnlySpan<byte> value)
    {
        if (value.Length < 4 || (value.Length - 4) % 8 != 0 || BinaryPrimitives.ReadUInt32LittleEndian(value) != 2)
            return null;
        var text = new StringBuilder();
        for (var at = 4; at < value.Length; at += 8)
        {
            var tag = BinaryPrimitives.ReadUInt16LittleEndian(value[at..]);
            var perm = BinaryPrimitives.ReadUInt16LittleEndian(value[(at + 2)..]);
            var id = BinaryPrimitives.ReadUInt32LittleEndian(value[(at + 4)..]);
            var (kind, qualified) = tag switch
            {
                0x01 => ("user", false),
                0x02 => ("user", true),
                0x04 => ("group", false),
                0x08 => ("group", true),
                0x10 => ("mask", false),
                0x20 => ("other", false),
                _ => ((string?)null, false),
            };
            if (kind is null)
                return null;
            if (text.Length > 0)
                text.Append(',');
            text.Append(kind).Append(':');
            if (qualified)
                text.Append(id.ToString(CultureInfo.InvariantCulture));
            text.Append(':')
                .Append((perm & 4) != 0 ? 'r' : '-')
                .Append((perm & 2) != 0 ? 'w' : '-')
                .Append((perm & 1) != 0 ? 'x' : '-');
        }
        return text.ToString();
    }

    /// <summary>
    /// The binary form of an ACL given as text: getfacl's long form (one entry a line, <c>#</c> comments, as GNU tar
    /// stores it in <c>SCHILY.acl.access</c>) or the short form (entries separated by commas); tags spelled out or
    /// abbreviated (<c>u</c>, <c>g</c>, <c>m</c>, <c>o</c>), qualifiers numeric or names resolved with
    /// <paramref name="userId"/> and <paramref name="groupId"/> (star's trailing <c>:ID</c> is the fallback when a
    /// name is unknown). A missing mask is computed, as setfacl does. Entries are sorted by tag, then id; the
    /// entries without a qualifier carry the undefined id, as the kernel's do. Throws <see cref="FormatException"/>
    /// on text that is not a valid ACL or names a user or group unknown here.
    /// </summary>
    public static byte[] Parse(string text, Func<string, uint?> userId, Func<string, uint?> groupId)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(groupId);
        var entries = new List<(ushort Tag, ushort Perm, uint Id)>();
        foreach (var line in text.Split([',', '\n']))
        {
            var comment = line.IndexOf('#', StringComparison.Ordinal);
            var entry = (comment < 0 ? line : line[..comment]).Trim();
            if (entry.Length == 0)
                continue;
            var fields = entry.Split(':');
            if (fields.Length is < 2 or > 4)
                throw new FormatException($"ACL entry '{entry}' is not TAG:QUALIFIER:PERMISSIONS");
            var qualifier = fields.Length == 2 ? "" : fields[1].Trim();
            var perm = Permissions(fields.Length == 2 ? fields[1] : fields[2], entry);
            var fallback = fields.Length == 4 ? fields[3].Trim() : null;
            entries.Add(fields[0].Trim() switch
            {
                "user" or "u" when fields.Length > 2 => qualifier.Length == 0 ? (UserObj, perm, UndefinedId) : (User, perm, Resolve(qualifier, fallback, userId, "user")),
                "group" or "g" when fields.Length > 2 => qualifier.Length == 0 ? (GroupObj, perm, UndefinedId) : (Group, perm, Resolve(qualifier, fallback, groupId, "group")),
                "mask" or "m" when qualifier.Length == 0 => (Mask, perm, UndefinedId),
                "other" or "o" when qualifier.Length == 0 => (Other, perm, UndefinedId),
                _ => throw new FormatException($"ACL entry '{entry}' has an unknown tag"),
            });
        }
        foreach (var required in new[] { UserObj, GroupObj, Other })
        {
            if (entries.Count(e => e.Tag == required) != 1)
                throw new FormatException("an ACL needs exactly one user::, group:: and other:: entry");
        }
        if (entries.Count(e => e.Tag == Mask) > 1 || entries.DistinctBy(e => (e.Tag, e.Id)).Count() != entries.Count)
            throw new FormatException("the ACL names an entry twice");
        if (entries.Any(e => e.Tag is User or Group) && !entries.Any(e => e.Tag == Mask))
            entries.Add((Mask, (ushort)entries.Where(e => e.Tag is User or GroupObj or Group).Aggregate(0, (m, e) => m | e.Perm), UndefinedId));
        entries.Sort(static (a, b) => a.Tag != b.Tag ? a.Tag.CompareTo(b.Tag) : a.Id.CompareTo(b.Id));
        var value = new byte[4 + 8 * entries.Count];
        BinaryPrimitives.WriteUInt32LittleEndian(value, 2);
        for (var i = 0; i < entries.Count; i++)
        {
            var at = value.AsSpan(4 + 8 * i);
            BinaryPrimitives.WriteUInt16LittleEndian(at, entries[i].Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(at[2..], entries[i].Perm);
            BinaryPrimitives.WriteUInt32LittleEndian(at[4..], entries[i].Id);
        }
        return value;
    }

    private static ushort Permissions(string text, string entry)
    {
        var perm = 0;
        var trimmed = text.Trim();
        if (trimmed.Length is 0 or > 3)
            throw new FormatException($"ACL entry '{entry}' has no valid permissions");
        foreach (var c in trimmed)
        {
            perm |= c switch
            {
                'r' => 4,
                'w' => 2,
                'x' => 1,
                '-' => 0,
                _ => throw new FormatException($"ACL entry '{entry}' has no valid permissions"),
            };
        }
        return (ushort)perm;
    }

    private static uint Resolve(string qualifier, string? fallback, Func<string, uint?> lookup, string kind)
    {
        if (uint.TryParse(qualifier, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return id;
        if (lookup(qualifier) is { } found)
            return found;
        if (fallback is not null && uint.TryParse(fallback, NumberStyles.None, CultureInfo.InvariantCulture, out var given))
            return given;
        throw new FormatException($"the ACL names {kind} '{qualifier}', which does not exist on this machine");
    }
}
