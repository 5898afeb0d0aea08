using Cairn.Core.Backup;

namespace Cairn.Cli;

/// <summary>Backup progress that prints warnings and errors to stderr.</summary>
internal sealed class CliBackupProgress(TextWriter error) : BackupProgress
{
    public ProgressLine? Line { get; set; }

    protected override void OnWarning(string path, string message)
    {
        var text = $"warning: {path}: {message}";
        if (Line is { } line)
            line.WriteLine(text);
        else
            lock (error)
                error.WriteLine(text);
    }
}
