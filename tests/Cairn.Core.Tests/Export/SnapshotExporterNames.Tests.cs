using System.Text;
using Cairn.Core.Export;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Tests.Restore;
using Cairn.Core.Trees;

namespace Cairn.Core.Tests.Export;

/// <summary>An exported archive holds no member that would unpack outside its directory, whatever a tree says.</summary>
public sealed class SnapshotExporterNamesTests
{
    private static BlobId Id(string name) => new(Digest.OfContent(Encoding.UTF8.GetBytes(name)));

    private static Node Entry(string name, FileKind kind = FileKind.File, BlobId? subtree = null) =>
        new() { Name = Encoding.UTF8.GetBytes(name), Kind = kind, Mode = kind == FileKind.Directory ? 0x1EDu : 0x1A4u, Subtree = subtree };

    [Fact]
    public async Task Entries_with_names_a_directory_entry_cannot_have_are_reported_and_left_out()
    {
        var loader = new TreeLoader();
        loader.Trees[Id("up")] = [Entry("escaped")];
        loader.Trees[Id("dir")] = [Entry("inner")];
        loader.Trees[Id("root")] = [Entry("..", FileKind.Directory, Id("up")), Entry("../escaped2"), Entry("dir", FileKind.Directory, Id("dir")), Entry("ok")];
        var progress = new ExportProgress();
        var members = new List<string>();
        using var archive = new MemoryStream();

        await new SnapshotExporter(loader, new ExportOptions(), progress).RunAsync(Entry("root", FileKind.Directory, Id("root")), "/",
            (_, _) => ValueTask.FromResult<Stream>(archive), (_, _) => ValueTask.CompletedTask, (_, m) => members.Add(Encoding.UTF8.GetString(m.Path)));

        Assert.Equal(["dir", "dir/inner", "ok"], members.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(2, progress.Errors);
    }
}
