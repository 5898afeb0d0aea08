using Cairn.Core.Trees;

namespace Cairn.Core.Tests.Trees;

/// <summary>Text ACLs (as tar stores them) into the kernel's binary form: the inverse of <see cref="PosixAcl.Format"/>.</summary>
public sealed class PosixAclParseTests
{
    private static readonly Func<string, uint?> Users = name => name switch { "alice" => 1001, "root" => 0, _ => null };
    private static readonly Func<string, uint?> Groups = name => name switch { "staff" => 50, _ => null };

    [Theory]
    [InlineData("user::rw-,group::r--,other::r--")]
    [InlineData("user::rwx,user:1000:r--,user:1234:rw-,group::r-x,group:5678:--x,mask::rwx,other::---")]
    public void The_short_form_parses_back_to_what_formats_it(string text) =>
        Assert.Equal(text, PosixAcl.Format(PosixAcl.Parse(text, Users, Groups)));

    [Fact]
    public void Getfacl_s_long_form_with_names_comments_and_any_order_sorts_by_tag_then_id()
    {
        const string text = "user::rw-\nuser:alice:rw-\t#effective:r--\nuser:12:r\ngroup::r--\ngroup:staff:rwx\t#effective:r--\nmask::r--\nother::r--\n";
        var parsed = PosixAcl.Parse(text, Users, Groups);
        Assert.Equal("user::rw-,user:12:r--,user:1001:rw-,group::r--,group:50:rwx,mask::r--,other::r--", PosixAcl.Format(parsed));
        // The kernel's form: version 2, the entries without a qualifier carry the undefined id.
        Assert.Equal([2, 0, 0, 0, 1, 0, 6, 0, 0xff, 0xff, 0xff, 0xff], parsed[..12]);
    }

    [Fact]
    public void A_missing_mask_is_the_union_of_the_group_class_as_setfacl_makes_it()
    {
        Assert.Equal("user::rw-,user:7:r--,group::--x,mask::r-x,other::---", PosixAcl.Format(PosixAcl.Parse("u::rw-,u:7:r--,g::--x,o::---", Users, Groups)));
    }

    [Fact]
    public void An_unknown_name_falls_back_to_star_s_numeric_id_or_is_refused()
    {
        Assert.Equal("user::rw-,user:4242:r--,group::r--,mask::r--,other::r--",
            PosixAcl.Format(PosixAcl.Parse("user::rw-,user:bob:r--:4242,group::r--,mask::r--,other::r--", Users, Groups)));
        var e = Assert.Throws<FormatException>(() => PosixAcl.Parse("user::rw-,user:bob:r--,group::r--,mask::r--,other::r--", Users, Groups));
        Assert.Contains("'bob'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("user::rw-,group::r--")]
    [InlineData("user::rw-,user::r--,group::r--,other::r--")]
    [InlineData("user::rw-,group::r--,other::rwz")]
    [InlineData("user::rw-,group::r--,other::r--,robot::rwx")]
    [InlineData("user::rw-,user:1:r--,user:1:rw-,group::r--,mask::rw-,other::r--")]
    public void Text_that_is_not_a_valid_acl_is_refused(string text) =>
        Assert.Throws<FormatException>(() => PosixAcl.Parse(text, Users, Groups));
}
