using System.Text;
using Cairn.Core.Backup;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Trees;

namespace Cairn.Core.Tests.Backup;

/// <summary>A hard-link group's first name as later names see it: its save while it runs, then only what they take.</summary>
public sealed class HardLinkGroupTests
{
    private static readonly Node First = new()
    {
        Name = "first"u8.ToArray(), Kind = FileKind.File, Size = 5, Mtime = new PosixTime(1, 2), Ctime = new PosixTime(3, 4), Flags = 0x10,
        Content = [new BlobId(Digest.OfContent("hello"u8))], Xattrs = [new ExtendedAttribute("user.a"u8.ToArray(), Encoding.UTF8.GetBytes("v"))],
        Extents = [new FileExtent(0, 5)],
    };

    [Fact]
    public async Task A_later_name_waits_for_the_save_and_takes_its_content_attributes_and_flags_before_and_after_it_settles()
    {
        var saving = new TaskCompletionSource<Node?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var group = new HardLinkGroup(saving.Task);

        var waiting = group.FirstAsync().AsTask();
        Assert.False(waiting.IsCompleted);
        group.Settle(First);
        saving.SetResult(First);

        foreach (var taken in new[] { await waiting, await group.FirstAsync() })
        {
            Assert.NotNull(taken);
            Assert.Equal((First.Size, First.Mtime, First.Ctime, First.Flags), (taken.Size, taken.Mtime, taken.Ctime, taken.Flags));
            Assert.Same(First.Content, taken.Content);
            Assert.Same(First.Xattrs, taken.Xattrs);
            Assert.Same(First.Extents, taken.Extents);
        }
    }

    [Fact]
    public async Task A_first_name_that_could_not_be_read_gives_later_names_nothing_to_take()
    {
        var group = new HardLinkGroup(Task.FromResult<Node?>(null));
        Assert.Null(await group.FirstAsync());
        group.Settle(null);
        Assert.Null(await group.FirstAsync());
    }
}
