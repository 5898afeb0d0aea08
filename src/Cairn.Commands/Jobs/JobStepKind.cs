namespace Cairn.Commands.Jobs;

/// <summary>What a step of a job does.</summary>
public enum JobStepKind
{
    /// <summary>A hook run before the backup; a failure aborts the job.</summary>
    Before,
    /// <summary><c>cairn backup</c>.</summary>
    Backup,
    /// <summary><c>cairn forget</c> by the job's retention.</summary>
    Forget,
    /// <summary><c>cairn prune</c>.</summary>
    Prune,
    /// <summary><c>cairn check --read-data-subset</c>.</summary>
    Check,
    /// <summary>A hook run after a job that succeeded.</summary>
    After,
    /// <summary>A hook run after a job that failed.</summary>
    OnFailure,
}
