using System.Diagnostics;

namespace Cairn.Core.Tests;

/// <summary>A temporary directory removed with everything in it, names that are not UTF-8 too.</summary>
internal sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cairn-core-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        using var rm = Process.Start("rm", ["-rf", Path]);
        rm.WaitForExit();
    }
}
