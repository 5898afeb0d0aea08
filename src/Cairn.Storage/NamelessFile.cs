namespace Cairn.Storage;

/// <summary>
/// A new file that no other process can reach by name: made under a random name in a directory (the temporary one,
/// TMPDIR, for spools), readable by its owner only, and unlinked at once, so that nothing is left behind, not even
/// after a crash.
/// </summary>
public static class NamelessFile
{
    /// <summary>
    /// Makes one in <paramref name="directory"/>, its passing name starting with <paramref name="prefix"/>, open for
    /// reading and writing through <paramref name="bufferSize"/> bytes of buffer (0: none).
    /// </summary>
    /// <exception cref="IOException">When the directory cannot take it.</exception>
    /// <exception cref="UnauthorizedAccessException">When the directory may not be written to.</exception>
    public static FileStream Create(string directory, string prefix, int bufferSize = 0)
    {
        var path = Path.Combine(directory, $"{prefix}{Guid.NewGuid():N}");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.Delete, Options = FileOptions.DeleteOnClose, BufferSize = bufferSize,
        };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var file = new FileStream(path, options);
        try
        {
            File.Delete(path);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        return file;
    }
}
