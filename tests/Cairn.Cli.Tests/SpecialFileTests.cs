using System.Net.Sockets;
using Cairn.Core.Platform;

namespace Cairn.Cli.Tests;

/// <summary>FIFOs and character and block devices come back as they were; sockets are recorded, and skipped on restore with a note.</summary>
public sealed class SpecialFileTests : IDisposable
{
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task Fifos_and_devices_are_restored_and_sockets_noted()
    {
        Assert.True(RichTree.IsRoot, "only root makes device files");
        await _t.InitAsync();
        var source = _t.PathOf("src");
        Directory.CreateDirectory(source);
        var s = PathBytes.FromString(source);
        Posix.MakeNode(PathBytes.Join(s, "fifo"u8), FileKind.Fifo, 0x1A4, 0);
        Posix.MakeNode(PathBytes.Join(s, "null-like"u8), FileKind.CharDevice, 0x1B6, (1UL << 32) | 3);
        Posix.MakeNode(PathBytes.Join(s, "big-numbers"u8), FileKind.CharDevice, 0x180, (4095UL << 32) | 1_048_575);
        Posix.MakeNode(PathBytes.Join(s, "loop-like"u8), FileKind.BlockDevice, 0x1A0, (7UL << 32) | 200);
        Posix.Lchown(PathBytes.Join(s, "loop-like"u8), 0, 6);
        // .NET removes a socket's file when the socket is closed: keep it open through the backup.
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(source, "socket")));
            Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);
        }
        var ls = await _t.RunAsync("ls", "--long", "latest");
        Assert.True(ls.Output.Contains("/socket", StringComparison.Ordinal), ls.ToString());

        var target = _t.PathOf("out");
        var restore = await _t.RunAsync("restore", $"latest:{source}", "--target", target);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Contains("socket", restore.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(target, "socket")));
        var t = PathBytes.FromString(target);
        foreach (var name in new[] { "fifo", "null-like", "big-numbers", "loop-like" })
        {
            var expected = Posix.Lstat(PathBytes.Join(s, System.Text.Encoding.UTF8.GetBytes(name)));
            var actual = Posix.Lstat(PathBytes.Join(t, System.Text.Encoding.UTF8.GetBytes(name)));
            Assert.Equal((expected.Kind, expected.Mode, expected.Rdev, expected.Uid, expected.Gid, expected.Mtime),
                (actual.Kind, actual.Mode, actual.Rdev, actual.Uid, actual.Gid, actual.Mtime));
        }
    }
}
