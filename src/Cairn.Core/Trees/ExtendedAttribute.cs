namespace Cairn.Core.Trees;

/// <summary>
/// One extended attribute: its full name with namespace (<c>user.</c>, <c>trusted.</c>, <c>security.</c>,
/// <c>system.</c>) and its value, both as raw bytes. POSIX ACLs travel as <c>system.posix_acl_access</c> and
/// <c>system.posix_acl_default</c>.
/// </summary>
public sealed record ExtendedAttribute(byte[] Name, byte[] Value)
{
    private static ReadOnlySpan<byte> AclPrefix => "system.posix_acl_"u8;

    /// <summary>True for the two attributes that hold POSIX ACLs.</summary>
    public bool IsAcl => Name.AsSpan().StartsWith(AclPrefix);

    /// <summary>The name for people.</summary>
    public string DisplayName => System.Text.Encoding.UTF8.GetString(Name);
}
