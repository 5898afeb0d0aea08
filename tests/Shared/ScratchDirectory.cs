using System.Diagnostics;

namespace Cairn.Tests.Shared;

/// <summary>Removing a test's scratch tree, whatever names it holds.</summary>
public static class ScratchDirectory
{
    /// <summary>
    /// Removes <paramref name="path"/> and everything under it. .NET's own recursive delete cannot name files whose
    /// names are not UTF-8 (the tests make such names on purpose), so what it leaves is removed with <c>rm -rf</c>,
    /// which works on the names' bytes.
    /// </summary>
    public static void Remove(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
            return;
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        using var rm = Process.Start(new ProcessStartInfo("rm", ["-rf", "--", path]) { RedirectStandardError = true })!;
        rm.StandardError.ReadToEnd();
        rm.WaitForExit();
    }
}
