using System.Diagnostics;
using Cairn.Core.Archive;

namespace Cairn.Core.Tests.Archive;

/// <summary>Archives made by the real GNU tar (and compressors) of this machine, and everything a reader gives back for them.</summary>
internal static class RealTar
{
    /// <summary>Runs <c>tar -C directory OPTIONS -cf - MEMBERS</c> (default member ".") and returns the archive.</summary>
    public static byte[] Create(string directory, string[] options, params string[] members) =>
        Run("tar", ["-C", directory, .. options, "-cf", "-", .. members.Length == 0 ? ["."] : members]);

    /// <summary>Runs a program with <paramref name="input"/> on its standard input and returns its standard output; it must succeed.</summary>
    public static byte[] Run(string program, string[] args, byte[]? input = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var feed = Task.Run(() =>
        {
            if (input is null)
                return;
            process.StandardInput.BaseStream.Write(input);
            process.StandardInput.Close();
        });
        using var output = new MemoryStream();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(output);
        feed.Wait();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} failed: {error.Result}");
        return output.ToArray();
    }

    /// <summary>Every entry of an archive with its data.</summary>
    public static async Task<List<(TarEntry Entry, byte[] Data)>> ReadAllAsync(Stream archive)
    {
        var reader = new TarArchiveReader(archive);
        var entries = new List<(TarEntry, byte[])>();
        while (await reader.NextAsync() is { } entry)
        {
            var data = new byte[entry.DataLength];
            var at = 0;
            int n;
            while ((n = await reader.ReadDataAsync(data.AsMemory(at))) > 0)
                at += n;
            Assert.Equal(data.Length, at);
            entries.Add((entry, data));
        }
        return entries;
    }

    public static Task<List<(TarEntry Entry, byte[] Data)>> ReadAllAsync(byte[] archive) => ReadAllAsync(new MemoryStream(archive));

    /// <summary>The entry whose name, less a leading "./", is <paramref name="name"/>.</summary>
    public static (TarEntry Entry, byte[] Data) Named(this List<(TarEntry Entry, byte[] Data)> entries, string name) =>
        entries.Single(e => System.Text.Encoding.Latin1.GetString(e.Entry.Path).TrimStart('.', '/').TrimEnd('/') == name);
}
