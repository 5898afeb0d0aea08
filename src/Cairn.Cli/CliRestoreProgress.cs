using Cairn.Core.Restore;

namespace Cairn.Cli;

/// <summary>Restore progress that prints warnings and errors to stderr.</summary>
internal sealed class CliRestoreProgress(TextWriter error) : RestoreProgress
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
