namespace Cairn.Cli;

/// <summary>Prints warnings on stderr, above the progress line when one is drawn.</summary>
internal sealed class WarningPrinter(TextWriter error)
{
    public ProgressLine? Line { get; set; }

    public void Print(string path, string message)
    {
        var text = $"warning: {path}: {message}";
        if (Line is { } line)
            line.WriteLine(text);
        else
            lock (error)
                error.WriteLine(text);
    }
}
