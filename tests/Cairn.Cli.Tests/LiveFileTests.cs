using System.Diagnostics;
using System.Text.Json;

namespace Cairn.Cli.Tests;

/// <summary>A file that a running process keeps appending to and rewriting is read again, then kept, marked and reported.</summary>
public sealed class LiveFileTests : IDisposable
{
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task A_file_changing_during_every_read_is_reread_then_marked_and_exit_code_3()
    {
        await _t.InitAsync();
        var source = _t.PathOf("src");
        Directory.CreateDirectory(source);
        var live = Path.Combine(source, "live.db");
        var data = new byte[48 << 20];
        new Random(5).NextBytes(data);
        File.WriteAllBytes(live, data);
        File.WriteAllText(Path.Combine(source, "quiet.txt"), "does not change");

        const string Writer = """
            import os, sys, time
            with open(sys.argv[1], "r+b", buffering=0) as f:
                i = 0
                while True:
                    f.seek(0, 2); f.write(os.urandom(4096))
                    f.seek((i * 65536) % (32 << 20)); f.write(os.urandom(4096))
                    i += 1
                    if i % 64 == 0:
                        time.sleep(0.0005)  # otherwise without pause: a busy machine must not leave a read unchanged
            """;
        using var writer = Process.Start(new ProcessStartInfo("python3", ["-c", Writer, live]))!;
        try
        {
            // Started only once the writer is seen writing: on a busy machine Python may take seconds to start.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (new FileInfo(live).Length == data.Length && DateTime.UtcNow < deadline)
                await Task.Delay(20);
            Assert.True(new FileInfo(live).Length > data.Length, "the writer did not start");
            var run = await _t.RunAsync("--json", "backup", source);
            Assert.True(run.ExitCode == 3, run.ToString());
            using var json = JsonDocument.Parse(run.Output);
            var summary = json.RootElement.GetProperty("summary");
            Assert.Equal(2, summary.GetProperty("files_reread").GetInt64());
            Assert.Equal(1, summary.GetProperty("files_changed_during_backup").GetInt64());
            Assert.Contains("live.db", run.Error, StringComparison.Ordinal);
            Assert.Contains("3 times", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            writer.Kill();
            await writer.WaitForExitAsync();
        }

        var ls = await _t.RunAsync("ls", "--long", "latest");
        var liveLine = ls.Output.Split('\n').Single(l => l.EndsWith("[changed during backup]", StringComparison.Ordinal));
        Assert.Contains("/live.db", liveLine, StringComparison.Ordinal);
        Assert.DoesNotContain("quiet.txt  [changed", ls.Output, StringComparison.Ordinal);

        // Once the file is quiet, the next backup reads it once and marks nothing.
        var calm = await _t.RunAsync("--json", "backup", source);
        Assert.True(calm.ExitCode == 0, calm.ToString());
        using var calmJson = JsonDocument.Parse(calm.Output);
        Assert.Equal(0, calmJson.RootElement.GetProperty("summary").GetProperty("files_reread").GetInt64());
        var restored = _t.PathOf("out");
        Assert.Equal(0, (await _t.RunAsync("restore", $"latest:{source}", "--target", restored)).ExitCode);
        Assert.Equal(File.ReadAllBytes(live), File.ReadAllBytes(Path.Combine(restored, "live.db")));
    }
}
