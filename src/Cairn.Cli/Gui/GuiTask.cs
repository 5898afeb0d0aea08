namespace Cairn.Cli.Gui;

/// <summary>An action running in the background: its command line, its latest progress line, its end, and a way to stop it.</summary>
internal sealed class GuiTask(string id, string command) : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly TaskCompletionSource<GuiActionResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _progress = "";

    public string Id { get; } = id;
    public string Command { get; } = command;

    /// <summary>The command's latest progress line, as the CLI would draw it on a terminal.</summary>
    public string Progress => Volatile.Read(ref _progress);

    /// <summary>Ends with the command's result.</summary>
    public Task<GuiActionResult> Done => _done.Task;

    public CancellationToken Token => _cancel.Token;

    public void Report(string line) => Volatile.Write(ref _progress, line);

    /// <summary>When it ended, or null while it runs.</summary>
    public DateTimeOffset? Finished { get; private set; }

    public void Finish(GuiActionResult result)
    {
        Finished = DateTimeOffset.UtcNow;
        _done.TrySetResult(result);
    }

    /// <summary>Stops the command as Ctrl-C would: cleanly, nothing half-published.</summary>
    public void Cancel() => _cancel.Cancel();

    public void Dispose() => _cancel.Dispose();
}
