using System.Text.Json;

namespace Cairn.Commands.Jobs;

/// <summary>
/// The small local file that remembers each job's last run (JSON, one record per job). Deleting it loses only
/// that history. Default place: <c>/var/lib/cairn/jobs.json</c> for root, else
/// <c>$XDG_STATE_HOME/cairn/jobs.json</c> (<c>~/.local/state/cairn/jobs.json</c>); <c>[jobs] state-file</c> moves it.
/// </summary>
public sealed class JobStateFile(string path)
{
    private static readonly SemaphoreSlim Writing = new(1);

    /// <summary>Its path.</summary>
    public string Path { get; } = path;

    /// <summary>The default place for this user.</summary>
    public static string DefaultPath()
    {
        if (Environment.UserName == "root" || Core.Platform.Posix.EffectiveUserId == 0)
            return "/var/lib/cairn/jobs.json";
        return System.IO.Path.Combine(UserDirectories.State, "jobs.json");
    }

    /// <summary>The last run of every job that ran; an unreadable or damaged file counts as empty.</summary>
    public Dictionary<string, JobRecord> Load()
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(Path), JobStateJsonContext.Default.DictionaryStringJobRecord) ?? [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return [];
        }
    }

    /// <summary>Records a run (replacing the job's previous record), atomically.</summary>
    public async Task SaveAsync(JobRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        await Writing.WaitAsync().ConfigureAwait(false);
        try
        {
            var all = Load();
            all[record.Job] = record;
            await AtomicFile.WriteAllTextAsync(Path, JsonSerializer.Serialize(all, JobStateJsonContext.Default.DictionaryStringJobRecord)).ConfigureAwait(false);
        }
        finally
        {
            Writing.Release();
        }
    }
}
