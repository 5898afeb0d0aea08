namespace Cairn.Storage;

/// <summary>Names the temporary directory in messages, with where it came from, so that a user knows what to change.</summary>
public static class TemporaryDirectory
{
    /// <summary>
    /// <paramref name="directory"/> followed by "(set by TMPDIR)" when TMPDIR is set, else by "(TMPDIR is not set)":
    /// the system's default (<see cref="Path.GetTempPath"/>) was taken.
    /// </summary>
    public static string Describe(string directory) =>
        Path.TrimEndingDirectorySeparator(directory) +
        (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TMPDIR")) ? " (TMPDIR is not set)" : " (set by TMPDIR)");
}
