using System.Diagnostics;
using Cairn.Core.Platform;

namespace Cairn.Cli.Tests;

/// <summary>
/// Reads metadata back with standard tools (getfattr, getfacl, lsattr, Python's os.lseek), so that what Cairn
/// restored is compared by code that is not Cairn's.
/// </summary>
public static class SystemTools
{
    /// <summary>Every extended attribute below a directory, hex-encoded, symlinks not followed.</summary>
    public static Task<string> XattrsAsync(string directory) =>
        OutputAsync(directory, "getfattr", "-R", "-P", "-h", "-d", "-m", "-", "-e", "hex", ".");

    /// <summary>Every ACL below a directory, numeric ids.</summary>
    public static Task<string> AclsAsync(string directory) => OutputAsync(directory, "getfacl", "-R", "-P", "-n", ".");

    /// <summary>lsattr's flag column for each regular file and directory in a directory, by name.</summary>
    public static async Task<Dictionary<string, string>> FlagsAsync(string directory)
    {
        var entries = Directory.GetFileSystemEntries(directory)
            .Where(e => Posix.Lstat(PathBytes.FromString(e)).Kind is FileKind.File or FileKind.Directory)
            .Order(StringComparer.Ordinal).ToArray();
        if (entries.Length == 0)
            return [];
        var output = await OutputAsync(directory, "lsattr", ["-d", .. entries]);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(parts => Path.GetFileName(parts[1]), parts => parts[0]);
    }

    /// <summary>"SIZE START-END ...": a file's size and data extents as the kernel reports them.</summary>
    public static async Task<string> DataMapAsync(string path)
    {
        const string Script = """
            import os, sys
            fd = os.open(sys.argv[1], os.O_RDONLY)
            size = os.fstat(fd).st_size
            out, pos = [str(size)], 0
            while pos < size:
                try:
                    data = os.lseek(fd, pos, os.SEEK_DATA)
                except OSError:
                    break
                hole = os.lseek(fd, data, os.SEEK_HOLE)
                out.append(f"{data}-{hole}")
                pos = hole
            print(" ".join(out))
            """;
        return (await OutputAsync(Directory.GetCurrentDirectory(), "python3", "-c", Script, path)).Trim();
    }

    /// <summary>The filesystem block that holds a file's first block, in an unmounted ext4 image (debugfs).</summary>
    public static async Task<long> FirstBlockAsync(string image, string pathInImage)
    {
        var output = await OutputAsync(Directory.GetCurrentDirectory(), "debugfs", "-R", $"bmap {pathInImage} 0", image);
        return long.Parse(output.Trim().Split('\n')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> OutputAsync(string directory, string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool, args) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} failed: {error}");
        return output;
    }
}
