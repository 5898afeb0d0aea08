namespace Cairn.Tests.Shared;

/// <summary>The root of the Cairn source tree the tests were built from (where Cairn.slnx is).</summary>
public static class RepositoryRoot
{
    /// <summary>The directory path.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Cairn.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no Cairn.slnx above {AppContext.BaseDirectory}");
    }
}
