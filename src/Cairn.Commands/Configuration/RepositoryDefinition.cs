namespace Cairn.Commands.Configuration;

/// <summary>A named repository of the configuration file (<c>[repository.NAME]</c>), for jobs to refer to.</summary>
public sealed record RepositoryDefinition
{
    /// <summary>The name jobs refer to it by.</summary>
    public required string Name { get; init; }
    /// <summary>Its location, as <c>-r</c> takes it.</summary>
    public required string Url { get; init; }
    /// <summary>A file whose first line is the password.</summary>
    public string? PasswordFile { get; init; }
    /// <summary>A command that prints the password.</summary>
    public string? PasswordCommand { get; init; }
    /// <summary>Connections to a remote store used at once.</summary>
    public int? Connections { get; init; }
    /// <summary>Upload limit in KiB/s.</summary>
    public long? LimitUpload { get; init; }
    /// <summary>Download limit in KiB/s.</summary>
    public long? LimitDownload { get; init; }
    /// <summary>Store options, <c>KEY=VALUE</c> as <c>-o</c> takes them.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>The global arguments that open it, in <see cref="CommandLine"/>'s form.</summary>
    public IEnumerable<string> ToArguments()
    {
        yield return CommandLine.Option("-r", Url);
        if (PasswordFile is not null)
            yield return CommandLine.Option("--password-file", PasswordFile);
        if (PasswordCommand is not null)
            yield return CommandLine.Option("--password-command", PasswordCommand);
        if (Connections is { } connections)
            yield return CommandLine.Option("--connections", connections.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (LimitUpload is { } up)
            yield return CommandLine.Option("--limit-upload", up.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (LimitDownload is { } down)
            yield return CommandLine.Option("--limit-download", down.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var option in Options)
            yield return CommandLine.Option("-o", option);
    }
}
