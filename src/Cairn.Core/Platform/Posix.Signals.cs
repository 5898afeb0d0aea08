using System.Globalization;

namespace Cairn.Core.Platform;

/// <summary>Signal dispositions this process inherited.</summary>
public static partial class Posix
{
    /// <summary>The signal number of SIGHUP.</summary>
    public const int SigHup = 1;

    /// <summary>
    /// Whether signal <paramref name="number"/> is ignored by this process (the <c>SigIgn</c> mask of
    /// /proc/self/status). A signal ignored when the process started, as <c>nohup</c> leaves SIGHUP, stays ignored
    /// even after a handler is registered for it: the runtime keeps what the parent chose.
    /// </summary>
    public static bool IsSignalIgnored(int number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, 64);
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("SigIgn:", StringComparison.Ordinal))
                return (ulong.Parse(line.AsSpan("SigIgn:".Length).Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) >> (number - 1) & 1) != 0;
        }
        return false;
    }
}
