namespace Cairn.Commands;

/// <summary>Replaces a small file whole: written beside it, then renamed over it, so a reader sees the old text or the new, never half.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/>, creating its directory.</summary>
    public static async Task WriteAllTextAsync(string path, string text, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, text, ct).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }
}
