using System.Text;
using Cairn.Core.Platform;
using Cairn.Core.Restore;
using Cairn.Core.Trees;

namespace Cairn.Core.Tests.Restore;

public sealed class BlobTargetsTests
{
    private static RestoreFile File(string name) => new(Encoding.UTF8.GetBytes("/r/" + name), new Node { Name = Encoding.UTF8.GetBytes(name), Kind = FileKind.File }, layoutFlags: null, setsFlags: false);

    [Fact]
    public void No_places_enumerate_as_none()
    {
        var targets = new BlobTargets();
        foreach (var _ in targets)
            Assert.Fail("a place in empty targets");
    }

    [Fact]
    public void Places_enumerate_in_the_order_they_were_added_the_first_inline_and_the_rest_after()
    {
        var a = File("a");
        var b = File("b");
        var targets = new BlobTargets();
        targets.Add(a, 0);
        var places = new List<(RestoreFile, long)>();
        foreach (var place in targets)
            places.Add(place);
        Assert.Equal([(a, 0L)], places);

        targets.Add(b, 1 << 20);
        targets.Add(a, 3 << 20); // the same blob twice in one file
        places.Clear();
        foreach (var (file, offset) in targets)
            places.Add((file, offset));
        Assert.Equal([(a, 0L), (b, 1L << 20), (a, 3L << 20)], places);
    }
}
