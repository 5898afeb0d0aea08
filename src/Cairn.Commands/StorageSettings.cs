using System.Globalization;

namespace Cairn.Commands;

/// <summary>How Cairn talks to a repository's store: the global options that are not about the repository's content.</summary>
public sealed record StorageSettings
{
    /// <summary>No limits, no verification, default connections.</summary>
    public static StorageSettings Default { get; } = new();

    /// <summary><c>--connections N</c>: connections to a remote store used at once (null: the store's default).</summary>
    public int? Connections { get; init; }

    /// <summary><c>--limit-upload KiB/s</c>.</summary>
    public long? LimitUpload { get; init; }

    /// <summary><c>--limit-download KiB/s</c>.</summary>
    public long? LimitDownload { get; init; }

    /// <summary><c>--verify-after-write</c>: read every object back after writing it.</summary>
    public bool VerifyAfterWrite { get; init; }

    /// <summary><c>-o KEY=VALUE</c>: options of one kind of store, e.g. <c>sftp.key=~/.ssh/backup</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Extended { get; init; } = [];

    /// <summary>The values given for an extended option, in order.</summary>
    public IEnumerable<string> ValuesOf(string key) => Extended.Where(o => o.Key == key).Select(o => o.Value);

    /// <summary>The arguments that select the same settings.</summary>
    public IEnumerable<string> ToArguments()
    {
        if (Connections is { } connections)
            yield return CommandLine.Option("--connections", connections.ToString(CultureInfo.InvariantCulture));
        if (LimitUpload is { } up)
            yield return CommandLine.Option("--limit-upload", up.ToString(CultureInfo.InvariantCulture));
        if (LimitDownload is { } down)
            yield return CommandLine.Option("--limit-download", down.ToString(CultureInfo.InvariantCulture));
        if (VerifyAfterWrite)
            yield return "--verify-after-write";
        foreach (var (key, value) in Extended)
            yield return CommandLine.Option("-o", $"{key}={value}");
    }
}
