using Cairn.Commands.Backup;
using Cairn.Core;
using Cairn.Core.Backup;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Cairn.Commands.Configuration;

/// <summary>
/// Finds and reads <c>cairn.toml</c>. Every mistake (a syntax error, an unknown table or key, a value of the wrong
/// type) stops the command with one line naming the file, the line and the key.
/// </summary>
public static class ConfigurationFile
{
    /// <summary>The environment variable that names a configuration file, like <c>--config</c>.</summary>
    public const string Variable = "CAIRN_CONFIG";

    /// <summary>The system-wide file, read when the user has none.</summary>
    public const string SystemPath = "/etc/cairn/cairn.toml";

    /// <summary>
    /// The file that applies: the one given (by <c>--config</c>, else <c>$CAIRN_CONFIG</c>), which must exist;
    /// else the user's (<c>$XDG_CONFIG_HOME/cairn/cairn.toml</c>, by default under <c>~/.config</c>); else
    /// <c>/etc/cairn/cairn.toml</c>; else none.
    /// </summary>
    public static string? Locate(string? given)
    {
        given ??= Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        if (given is not null)
        {
            if (!System.IO.File.Exists(given))
                throw new CairnException(ErrorKind.InvalidInput, $"configuration file {given} does not exist");
            return given;
        }
        var user = UserDirectories.ConfigurationFile;
        if (System.IO.File.Exists(user))
            return user;
        return System.IO.File.Exists(SystemPath) ? SystemPath : null;
    }

    /// <summary>Reads the configuration that applies (see <see cref="Locate"/>).</summary>
    public static CairnConfiguration Load(string? given)
    {
        if (Locate(given) is not { } path)
            return CairnConfiguration.Empty;
        string text;
        try
        {
            text = System.IO.File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CairnException(ErrorKind.InvalidInput, $"cannot read configuration file {path}: {e.Message}");
        }
        return Parse(text, Path.GetFullPath(path));
    }

    /// <summary>Parses the text of a configuration file; <paramref name="path"/> names it in messages.</summary>
    public static CairnConfiguration Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        var document = SyntaxParser.Parse(text, path, validate: true);
        foreach (var diagnostic in document.Diagnostics)
        {
            if (diagnostic.Kind == DiagnosticMessageKind.Error)
                throw Error(path, diagnostic.Span, diagnostic.Message);
        }
        var reader = new ConfigurationReader(path);
        if (document.KeyValues.FirstOrDefault() is { } stray)
            throw reader.Unknown(stray, null);
        var quiet = false;
        var rules = new List<ChangeDetectionRule>();
        var repositories = new Dictionary<string, RepositoryDefinition>(StringComparer.Ordinal);
        var jobs = new List<(JobDefinition Job, KeyValueSyntax? RepositoryKey, TableSyntaxBase Table)>();
        var jobSources = new Dictionary<string, List<CommandSource>>(StringComparer.Ordinal);
        string? stateFile = null;
        foreach (var table in document.Tables)
        {
            var name = ConfigurationReader.Name(table.Name);
            switch (table, name)
            {
                case (TableSyntax, _) when name.StartsWith("repository.", StringComparison.Ordinal) && name.Split('.').Length == 2:
                    var repository = ReadRepository(reader, table, name); // TOML itself refuses a table defined twice
                    repositories[repository.Name] = repository;
                    break;
                case (TableSyntax, _) when name.StartsWith("job.", StringComparison.Ordinal) && name.Split('.').Length == 2:
                    var (job, repositoryKey) = ReadJob(reader, table, name);
                    jobs.Add((job, repositoryKey, table));
                    break;
                case (TableArraySyntax, _) when name.StartsWith("job.", StringComparison.Ordinal) && name.EndsWith(".command-source", StringComparison.Ordinal) && name.Split('.').Length == 3:
                    var jobName = name.Split('.')[1];
                    if (!jobSources.TryGetValue(jobName, out var sources))
                        jobSources[jobName] = sources = [];
                    sources.Add(ReadCommandSource(reader, table, name));
                    break;
                case (TableSyntax, "jobs"):
                    foreach (var item in table.Items)
                    {
                        switch (ConfigurationReader.Name(item.Key))
                        {
                            case "state-file": stateFile = reader.Text(item, name); break;
                            default: throw reader.Unknown(item, name);
                        }
                    }
                    break;
                case (TableSyntax, "restore"):
                    foreach (var item in table.Items)
                    {
                        switch (ConfigurationReader.Name(item.Key))
                        {
                            case "quiet-metadata-warnings": quiet = reader.Boolean(item, name); break;
                            default: throw reader.Unknown(item, name);
                        }
                    }
                    break;
                case (TableArraySyntax, "change-detection"):
                    rules.Add(ReadChangeDetection(reader, table, name));
                    break;
                default:
                    throw Error(path, table.Span, table is TableArraySyntax
                        ? $"unknown table array [[{name}]]; known ones: [[change-detection]], [[job.NAME.command-source]]"
                        : $"unknown table [{name}]; known ones: [restore], [repository.NAME], [job.NAME], [jobs]");
            }
        }
        var complete = new List<JobDefinition>();
        foreach (var (job, repositoryKey, table) in jobs)
        {
            if (!repositories.ContainsKey(job.Repository))
            {
                var known = repositories.Count == 0 ? "there is no [repository.NAME] table" : "known ones: " + string.Join(", ", repositories.Keys);
                throw repositoryKey is null
                    ? Error(path, table.Span, $"[job.{job.Name}] needs repository = \"NAME\" of a [repository.NAME] table")
                    : reader.Invalid(repositoryKey, "job." + job.Name, $"no repository '{job.Repository}' is defined ({known})");
            }
            var withSources = job with { CommandSources = jobSources.Remove(job.Name, out var own) ? own : [] };
            if (withSources.Paths.Count == 0 && withSources.CommandSources.Count == 0)
                throw Error(path, table.Span, $"[job.{job.Name}] has nothing to back up: give paths = [...] or a [[job.{job.Name}.command-source]]");
            complete.Add(withSources);
        }
        if (jobSources.Keys.FirstOrDefault() is { } orphan)
        {
            var table = document.Tables.First(t => ConfigurationReader.Name(t.Name) == $"job.{orphan}.command-source");
            throw Error(path, table.Span, $"[[job.{orphan}.command-source]] belongs to no [job.{orphan}] table");
        }
        return new CairnConfiguration
        {
            File = path, QuietMetadataWarnings = quiet, ChangeDetection = rules, Repositories = repositories, Jobs = complete, JobStateFile = stateFile,
        };
    }

    private static RepositoryDefinition ReadRepository(ConfigurationReader reader, TableSyntaxBase table, string name)
    {
        string? url = null, passwordFile = null, passwordCommand = null;
        int? connections = null;
        long? limitUpload = null, limitDownload = null;
        IReadOnlyList<string> options = [];
        foreach (var item in table.Items)
        {
            switch (ConfigurationReader.Name(item.Key))
            {
                case "url": url = reader.Text(item, name); break;
                case "password-file": passwordFile = reader.Text(item, name); break;
                case "password-command": passwordCommand = reader.Text(item, name); break;
                case "connections": connections = (int)reader.Integer(item, name, 1, 64); break;
                case "limit-upload": limitUpload = reader.Integer(item, name, 1, long.MaxValue); break;
                case "limit-download": limitDownload = reader.Integer(item, name, 1, long.MaxValue); break;
                case "options":
                    options = reader.TextList(item, name);
                    if (options.FirstOrDefault(o => !o.Contains('=', StringComparison.Ordinal)) is { } bad)
                        throw reader.Invalid(item, name, $"'{bad}' is not KEY=VALUE");
                    break;
                default: throw reader.Unknown(item, name);
            }
        }
        if (url is null)
            throw Error(reader.Path, table.Span, $"[{name}] needs url = \"LOCATION\" (a directory, sftp://, s3:// or rest:// URL)");
        return new RepositoryDefinition
        {
            Name = name["repository.".Length..], Url = url, PasswordFile = passwordFile, PasswordCommand = passwordCommand,
            Connections = connections, LimitUpload = limitUpload, LimitDownload = limitDownload, Options = options,
        };
    }

    private static readonly string[] KeepCounts = ["keep-last", "keep-hourly", "keep-daily", "keep-weekly", "keep-monthly", "keep-yearly"];
    private static readonly string[] KeepSpans = ["keep-within", "keep-within-hourly", "keep-within-daily", "keep-within-weekly", "keep-within-monthly", "keep-within-yearly"];

    private static (JobDefinition Job, KeyValueSyntax? RepositoryKey) ReadJob(ConfigurationReader reader, TableSyntaxBase table, string name)
    {
        var job = new JobDefinition { Name = name["job.".Length..], Repository = "" };
        KeyValueSyntax? repositoryKey = null;
        var keep = new List<(string, string)>();
        foreach (var item in table.Items)
        {
            var key = ConfigurationReader.Name(item.Key);
            switch (key)
            {
                case "repository": job = job with { Repository = reader.Text(item, name) }; repositoryKey = item; break;
                case "paths": job = job with { Paths = reader.TextList(item, name) }; break;
                case "exclude": job = job with { Excludes = reader.Patterns(item, name) }; break;
                case "exclude-file": job = job with { ExcludeFiles = reader.TextList(item, name) }; break;
                case "exclude-if-present": job = job with { ExcludeIfPresent = reader.TextList(item, name) }; break;
                case "one-file-system": job = job with { OneFileSystem = reader.Boolean(item, name) }; break;
                case "exclude-nodump": job = job with { ExcludeNodump = reader.Boolean(item, name) }; break;
                case "tags": job = job with { Tags = reader.TextList(item, name) }; break;
                case "host": job = job with { Host = reader.Text(item, name) }; break;
                case "compression": job = job with { Compression = reader.Text(item, name) }; break;
                case "ignore-ctime": job = job with { IgnoreCtime = reader.Boolean(item, name) }; break;
                case "ignore-inode": job = job with { IgnoreInode = reader.Boolean(item, name) }; break;
                case "rehash": job = job with { Rehash = reader.Boolean(item, name) }; break;
                case "apply-policy": job = job with { ApplyPolicy = reader.Boolean(item, name) }; break;
                case "prune": job = job with { Prune = reader.Boolean(item, name) }; break;
                case "check-read-data-subset": job = job with { CheckReadDataSubset = reader.Text(item, name) }; break;
                case "before": job = job with { Before = reader.TextList(item, name) }; break;
                case "after": job = job with { After = reader.TextList(item, name) }; break;
                case "on-failure": job = job with { OnFailure = reader.TextList(item, name) }; break;
                case "schedule":
                    var text = reader.Text(item, name);
                    job = job with { Schedule = JobSchedule.TryParse(text, out var why) ?? throw reader.Invalid(item, name, $"'{text}' is not a cron expression: {why}") };
                    break;
                case var count when KeepCounts.Contains(count):
                    keep.Add(("--" + count, reader.Integer(item, name, 0, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    break;
                case var span when KeepSpans.Contains(span):
                    var duration = reader.Text(item, name);
                    try
                    {
                        Core.Retention.RetentionDuration.Parse(duration);
                    }
                    catch (FormatException e)
                    {
                        throw reader.Invalid(item, name, e.Message);
                    }
                    keep.Add(("--" + span, duration));
                    break;
                case "keep-tag":
                    keep.AddRange(reader.TextList(item, name).Select(t => ("--keep-tag", t)));
                    break;
                default: throw reader.Unknown(item, name);
            }
        }
        return (job with { Keep = keep }, repositoryKey);
    }

    private static CommandSource ReadCommandSource(ConfigurationReader reader, TableSyntaxBase table, string name)
    {
        string? file = null, command = null;
        foreach (var item in table.Items)
        {
            switch (ConfigurationReader.Name(item.Key))
            {
                case "name":
                    file = reader.Text(item, name);
                    try
                    {
                        CommandSource.CheckName(file);
                    }
                    catch (CairnException e)
                    {
                        throw reader.Invalid(item, name, e.Message);
                    }
                    break;
                case "command": command = reader.Text(item, name); break;
                default: throw reader.Unknown(item, name);
            }
        }
        if (file is null || command is null)
            throw Error(reader.Path, table.Span, $"[[{name}]] needs name = \"FILE\" and command = \"COMMAND\"");
        return new CommandSource(file, command);
    }

    private static ChangeDetectionRule ReadChangeDetection(ConfigurationReader reader, TableSyntaxBase table, string name)
    {
        string? pattern = null;
        bool? ignoreCtime = null, ignoreInode = null, rehash = null;
        foreach (var item in table.Items)
        {
            switch (ConfigurationReader.Name(item.Key))
            {
                case "path": pattern = reader.Pattern(item, name); break;
                case "ignore-ctime": ignoreCtime = reader.Boolean(item, name); break;
                case "ignore-inode": ignoreInode = reader.Boolean(item, name); break;
                case "rehash": rehash = reader.Boolean(item, name); break;
                default: throw reader.Unknown(item, name);
            }
        }
        if (pattern is null)
            throw Error(reader.Path, table.Span, $"[[{name}]] needs a 'path' pattern, e.g. path = \"/mnt/nfs\"");
        return new ChangeDetectionRule(pattern, ignoreCtime, ignoreInode, rehash);
    }

    internal static CairnException Error(string path, SourceSpan span, string message) =>
        new(ErrorKind.InvalidInput, $"{path}:{span.Start.Line + 1}: {message}");
}
