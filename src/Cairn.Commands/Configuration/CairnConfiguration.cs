using Cairn.Core.Backup;

namespace Cairn.Commands.Configuration;

/// <summary>
/// Settings from Cairn's configuration file (<c>cairn.toml</c>, see docs/CONFIGURATION.md). Every setting has a
/// command-line switch as well; a switch given on the command line always wins.
/// </summary>
public sealed record CairnConfiguration
{
    /// <summary>No file: every setting at its default.</summary>
    public static CairnConfiguration Empty { get; } = new();

    /// <summary>The file the settings came from, or null.</summary>
    public string? File { get; init; }

    /// <summary><c>[restore] quiet-metadata-warnings</c>: do not print which metadata a target could not hold.</summary>
    public bool QuietMetadataWarnings { get; init; }

    /// <summary><c>[[change-detection]]</c> rules, in the file's order.</summary>
    public IReadOnlyList<ChangeDetectionRule> ChangeDetection { get; init; } = [];

    /// <summary><c>[repository.NAME]</c> tables, by name.</summary>
    public IReadOnlyDictionary<string, RepositoryDefinition> Repositories { get; init; } = new Dictionary<string, RepositoryDefinition>();

    /// <summary><c>[job.NAME]</c> tables, in the file's order.</summary>
    public IReadOnlyList<JobDefinition> Jobs { get; init; } = [];

    /// <summary><c>[jobs] state-file</c>: where the record of job runs is kept (default: per user, see docs).</summary>
    public string? JobStateFile { get; init; }
}
