using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Cairn.Core.Trees;

/// <summary>
/// Renders the kernel's binary form of a POSIX ACL (the value of <c>system.posix_acl_access</c> or
/// <c>_default</c>: a 4-byte version 2, then 8-byte entries of tag, permissions and id) in getfacl's short text
/// form, e.g. <c>user::rw-,user:1000:r--,group::r--,mask::r--,other::r--</c>, with numeric ids.
/// </summary>
public static class PosixAcl
{
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
}
