using System.Globalization;
using Cairn.Core.Retention;

namespace Cairn.Commands.Import;

/// <summary>Options of <c>cairn import</c>.</summary>
public sealed record ImportOptions
{
    /// <summary>The tar archive to import (plain, gzip or zstd), or "-" for standard input.</summary>
    public required string Archive { get; init; }
    /// <summary>Tags for the snapshot.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>Host name to record (default: this machine's).</summary>
    public string? Host { get; init; }
    /// <summary>Snapshot time to record (default: now).</summary>
    public DateTimeOffset? Time { get; init; }
    /// <summary>How long after its time a policy forget removes the snapshot, whatever keep rules say (holds still win).</summary>
    public RetentionDuration? DestroyAfter { get; init; }
    /// <summary>Compression (default: the repository's).</summary>
    public string? Compression { get; init; }

    /// <summary>The arguments after <c>cairn</c> that do the same.</summary>
    public IEnumerable<string> ToArguments()
    {
        yield return "import";
        foreach (var t in Tags)
            yield return CommandLine.Option("--tag", t);
        if (Host is not null)
            yield return CommandLine.Option("--host", Host);
        if (Time is { } time)
            yield return CommandLine.Option("--time", time.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture));
        if (DestroyAfter is { } destroyAfter)
            yield return CommandLine.Option("--destroy-after", destroyAfter.ToString());
        if (Compression is not null)
            yield return CommandLine.Option("--compression", Compression);
        yield return Archive;
    }
}
