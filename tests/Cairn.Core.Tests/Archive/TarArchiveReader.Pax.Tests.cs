using System.Diagnostics;
using System.Text;
using Cairn.Core.Archive;
using Cairn.Core.Platform;
using Cairn.Core.Trees;

namespace Cairn.Core.Tests.Archive;

/// <summary>PAX archives written by the real GNU tar: raw names and attribute values, ACLs, exact times, global headers.</summary>
public sealed class TarArchiveReaderPaxTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Binary_xattr_values_and_names_that_are_not_utf8_come_through_as_raw_bytes()
    {
        var source = PathBytes.FromString(_scratch.Sub("src"));
        byte[] badName = [(byte)'b', (byte)'a', (byte)'d', 0xff, 0xfe, (byte)'\n', (byte)'x'];
        var file = PathBytes.Join(source, badName);
        using (var handle = Posix.CreateNew(file, 0x1A4))
            RandomAccess.Write(handle, "content"u8, 0);
        var binary = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(); // NUL, newline and '=' among them
        Posix.SetXattr(file, "user.binary"u8, binary);
        Posix.SetXattr(file, "user.a=b%c"u8, "odd name"u8);
        Posix.SetXattr(file, "user.empty"u8, []);
        byte[] badTarget = [0xc3, 0x28, (byte)'/', (byte)'t'];
        Posix.Symlink(badTarget, PathBytes.Join(source, "link"u8));

        var archive = RealTar.Create(Encoding.UTF8.GetString(source), ["--xattrs", "--xattrs-include=*", "--format=posix"]);
        var entries = await RealTar.ReadAllAsync(archive);

        var (entry, data) = entries.Single(e => e.Entry.Path.AsSpan().EndsWith(badName));
        Assert.Equal([(byte)'.', (byte)'/', .. badName], entry.Path);
        Assert.Equal("content"u8.ToArray(), data);
        Assert.Equal(["user.a=b%c", "user.binary", "user.empty"], entry.Xattrs.Select(x => x.DisplayName));
        Assert.Equal(binary, entry.Xattrs.Single(x => x.DisplayName == "user.binary").Value);
        Assert.Equal("odd name"u8.ToArray(), entry.Xattrs.Single(x => x.DisplayName == "user.a=b%c").Value);
        Assert.Empty(entry.Xattrs.Single(x => x.DisplayName == "user.empty").Value);
        var link = entries.Named("link").Entry;
        Assert.Equal(TarEntryType.Symlink, link.Type);
        Assert.Equal(badTarget, link.LinkTarget);
    }

    [Fact]
    public async Task Text_acls_become_the_binary_acls_the_kernel_holds()
    {
        var source = _scratch.Sub("src");
        var file = Path.Combine(source, "file");
        File.WriteAllText(file, "acl");
        var directory = Path.Combine(source, "dir");
        Directory.CreateDirectory(directory);
        // A named user (daemon, uid 1 here) and numeric ones, a mask narrower than the entries, a default ACL.
        Assert.Equal(0, await RunAsync("setfacl", "-m", "u:daemon:rw,u:1234:r,g:5678:rwx,m::rw", file));
        Assert.Equal(0, await RunAsync("setfacl", "-m", "u:1234:rwx", directory));
        Assert.Equal(0, await RunAsync("setfacl", "-d", "-m", "u:1234:rx,g:daemon:r", directory));

        var archive = RealTar.Create(source, ["--acls", "--format=posix"]);
        Assert.DoesNotContain("SCHILY.xattr", Encoding.Latin1.GetString(archive), StringComparison.Ordinal); // only the text form
        Assert.Contains("user:daemon:rw-", Encoding.Latin1.GetString(archive), StringComparison.Ordinal);
        var entries = await RealTar.ReadAllAsync(archive);

        Assert.Equal(Posix.GetXattr(PathBytes.FromString(file), PosixAcl.AccessName), Acl(entries.Named("file").Entry, PosixAcl.AccessName));
        Assert.Equal(Posix.GetXattr(PathBytes.FromString(directory), PosixAcl.AccessName), Acl(entries.Named("dir").Entry, PosixAcl.AccessName));
        Assert.Equal(Posix.GetXattr(PathBytes.FromString(directory), PosixAcl.DefaultName), Acl(entries.Named("dir").Entry, PosixAcl.DefaultName));
        Assert.All(entries, e => Assert.Empty(e.Entry.Warnings));
    }

    [Fact]
    public async Task An_acl_naming_a_user_unknown_here_is_left_out_with_a_warning()
    {
        var archive = new TarBuilder()
            .Pax('x', ("SCHILY.acl.access", "user::rw-\nuser:no-such-user-here:r--\ngroup::r--\nmask::r--\nother::r--\n"u8.ToArray()))
            .Entry("file", '0', "x"u8.ToArray())
            .Finish();
        var entry = (await RealTar.ReadAllAsync(archive)).Single().Entry;
        Assert.Empty(entry.Xattrs);
        Assert.Contains("no-such-user-here", Assert.Single(entry.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nanosecond_and_pre_1970_times_come_through_exactly()
    {
        var source = _scratch.Sub("src");
        var old = PathBytes.FromString(Path.Combine(source, "old"));
        var recent = PathBytes.FromString(Path.Combine(source, "recent"));
        File.WriteAllText(Encoding.UTF8.GetString(old), "old");
        File.WriteAllText(Encoding.UTF8.GetString(recent), "recent");
        Posix.SetTimes(old, new PosixTime(-1, 1), new PosixTime(-12_345_679, 1));
        Posix.SetTimes(recent, new PosixTime(1_500_000_000, 987_654_321), new PosixTime(1_600_000_000, 123_456_789));

        var entries = await RealTar.ReadAllAsync(RealTar.Create(source, ["--format=posix", "--atime-preserve=system"]));

        var o = entries.Named("old").Entry;
        Assert.Equal(new PosixTime(-12_345_679, 1), o.Mtime);
        Assert.Equal(new PosixTime(-1, 1), o.Atime);
        var r = entries.Named("recent").Entry;
        Assert.Equal(new PosixTime(1_600_000_000, 123_456_789), r.Mtime);
        Assert.Equal(new PosixTime(1_500_000_000, 987_654_321), r.Atime);
        Assert.Equal(Posix.Lstat(recent).Ctime, r.Ctime);
    }

    [Fact]
    public async Task A_global_header_holds_for_every_entry_after_it()
    {
        var source = _scratch.Sub("src");
        File.WriteAllText(Path.Combine(source, "a"), "a");
        File.WriteAllText(Path.Combine(source, "b"), "b");
        var entries = await RealTar.ReadAllAsync(RealTar.Create(source, ["--format=posix", "--pax-option=SCHILY.xattr.user.everywhere=g,uname=someone"]));
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal("g"u8.ToArray(), Assert.Single(e.Entry.Xattrs).Value));
        Assert.All(entries, e => Assert.Equal("someone", e.Entry.UserName));
    }

    [Fact]
    public async Task An_entry_s_own_records_override_global_ones_and_an_empty_value_takes_one_back()
    {
        var archive = new TarBuilder()
            .Pax('g', ("uname", "global"u8.ToArray()), ("mtime", "1234.5"u8.ToArray()), ("comment", "ignored"u8.ToArray()))
            .Entry("inherits", '0')
            .Pax('x', ("uname", "own"u8.ToArray()), ("mtime", "-1.25"u8.ToArray()))
            .Entry("overrides", '0')
            .Pax('x', ("uname", []), ("path", "renamed/by pax"u8.ToArray()), ("uid", "4000000000"u8.ToArray()), ("size", "3"u8.ToArray()))
            .Entry("takes back", '0', "abc"u8.ToArray(), h => TarBuilder.Octal(h, 124, 12, 0))
            .Finish();
        var entries = await RealTar.ReadAllAsync(archive);

        Assert.Equal(("global", new PosixTime(1234, 500_000_000)), (entries[0].Entry.UserName, entries[0].Entry.Mtime));
        Assert.Equal(("own", new PosixTime(-2, 750_000_000)), (entries[1].Entry.UserName, entries[1].Entry.Mtime));
        var last = entries[2];
        Assert.Equal("alice", last.Entry.UserName); // the header's own field
        Assert.Equal("renamed/by pax", Encoding.UTF8.GetString(last.Entry.Path));
        Assert.Equal(4_000_000_000u, last.Entry.Uid);
        Assert.Equal("abc"u8.ToArray(), last.Data); // the PAX size wins over the header's 0
    }

    private static byte[]? Acl(TarEntry entry, ReadOnlySpan<byte> name)
    {
        foreach (var x in entry.Xattrs)
        {
            if (x.Name.AsSpan().SequenceEqual(name))
                return x.Value;
        }
        return null;
    }

    private static async Task<int> RunAsync(string program, params string[] args)
    {
        using var process = Process.Start(program, args);
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
