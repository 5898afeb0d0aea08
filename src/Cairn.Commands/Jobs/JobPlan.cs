using Cairn.Commands.Backup;
using Cairn.Commands.Configuration;

namespace Cairn.Commands.Jobs;

/// <summary>
/// The steps of a job, from its definition: before hooks; <c>cairn backup</c>; <c>forget</c> by its retention (only
/// its own snapshots, tagged <c>job:NAME</c>); <c>prune</c>; <c>check --read-data-subset</c>; then after hooks when
/// all went well, on-failure hooks when not. Each cairn step is the exact command a person could run.
/// </summary>
public sealed class JobPlan
{
    private JobPlan(JobDefinition job, RepositoryDefinition repository, IReadOnlyList<JobStep> main, IReadOnlyList<JobStep> after, IReadOnlyList<JobStep> onFailure)
    {
        Job = job;
        Repository = repository;
        Main = main;
        After = after;
        OnFailure = onFailure;
    }

    /// <summary>The job.</summary>
    public JobDefinition Job { get; }
    /// <summary>Its repository.</summary>
    public RepositoryDefinition Repository { get; }
    /// <summary>Before hooks and cairn steps, in order.</summary>
    public IReadOnlyList<JobStep> Main { get; }
    /// <summary>Hooks after success.</summary>
    public IReadOnlyList<JobStep> After { get; }
    /// <summary>Hooks after failure.</summary>
    public IReadOnlyList<JobStep> OnFailure { get; }

    /// <summary>Plans job <paramref name="name"/> of <paramref name="configuration"/>.</summary>
    public static JobPlan For(CairnConfiguration configuration, string name)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var job = configuration.Jobs.FirstOrDefault(j => j.Name == name)
            ?? throw new Core.CairnException(Core.ErrorKind.Usage, configuration.Jobs.Count == 0
                ? $"no job '{name}': {(configuration.File is null ? "no configuration file was found" : configuration.File + " defines no [job.NAME]")}"
                : $"no job '{name}' in {configuration.File}", configuration.Jobs.Count == 0 ? "see docs/CONFIGURATION.md, [job.NAME]" : "known jobs: " + string.Join(", ", configuration.Jobs.Select(j => j.Name)));
        var repository = configuration.Repositories[job.Repository];
        var global = repository.ToArguments().ToList();
        if (configuration.File is { } file)
            global.Add(CommandLine.Option("--config", file));

        var main = job.Before.Select(h => new JobStep(JobStepKind.Before, [], h)).ToList();
        var backup = new BackupCommandOptions
        {
            Paths = job.Paths,
            CommandSources = job.CommandSources,
            Excludes = job.Excludes,
            ExcludeFiles = job.ExcludeFiles,
            ExcludeIfPresent = job.ExcludeIfPresent,
            OneFileSystem = job.OneFileSystem,
            ExcludeNodump = job.ExcludeNodump,
            Tags = [job.JobTag, .. job.Tags],
            Host = job.Host,
            Compression = job.Compression,
            IgnoreCtime = job.IgnoreCtime,
            IgnoreInode = job.IgnoreInode,
            Rehash = job.Rehash,
        };
        main.Add(new JobStep(JobStepKind.Backup, [.. global, .. backup.ToArguments()], null));
        if (job.Keep.Count > 0 || job.ApplyPolicy)
        {
            List<string> forget = [.. global, "forget", CommandLine.Option("--tag", job.JobTag)];
            if (job.Host is not null)
                forget.Add(CommandLine.Option("--host", job.Host));
            forget.AddRange(job.ApplyPolicy ? ["--apply-policy"] : job.Keep.Select(k => CommandLine.Option(k.Option, k.Value)));
            main.Add(new JobStep(JobStepKind.Forget, forget, null));
        }
        if (job.Prune)
            main.Add(new JobStep(JobStepKind.Prune, [.. global, "prune"], null));
        if (job.CheckReadDataSubset is { } subset)
            main.Add(new JobStep(JobStepKind.Check, [.. global, "check", CommandLine.Option("--read-data-subset", subset)], null));
        return new JobPlan(job, repository, main,
            job.After.Select(h => new JobStep(JobStepKind.After, [], h)).ToList(),
            job.OnFailure.Select(h => new JobStep(JobStepKind.OnFailure, [], h)).ToList());
    }
}
