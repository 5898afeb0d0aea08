using Cairn.Core.Trees;

namespace Cairn.Core.Tests.Trees;

public sealed class PosixAclTests
{
    private static byte[] Acl(params (ushort Tag, ushort Perm, uint Id)[] entries)
    {
        var bytes = new byte[4 + 8 * entries.Length];
        bytes[0] = 2;
        for (var i = 0; i < entries.Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(4 + 8 * i), entries[i].Tag);
            BitConverter.TryWriteBytes(bytes.AsSpan(6 + 8 * i), entries[i].Perm);
            BitConverter.TryWriteBytes(bytes.AsSpan(8 + 8 * i), entries[i].Id);
        }
        return bytes;
    }

    [Fact]
    public void Formats_like_getfacl_with_numeric_ids()
    {
        var acl = Acl((0x01, 7, uint.MaxValue), (0x02, 4, 1000), (0x04, 5, uint.MaxValue), (0x08, 6, 50), (0x10, 7, uint.MaxValue), (0x20, 0, uint.MaxValue));
        Assert.Equal("user::rwx,user:1000:r--,group::r-x,group:50:rw-,mask::rwx,other::---", PosixAcl.Format(acl));
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 1, 0, 0, 0 })]
    [InlineData(new byte[] { 2, 0, 0, 0, 1, 0, 7 })]
    [InlineData(new byte[] { 2, 0, 0, 0, 0x40, 0, 7, 0, 0, 0, 0, 0 })]
    public void Rejects_what_is_not_a_version_2_acl(byte[] value) => Assert.Null(PosixAcl.Format(value));
}
