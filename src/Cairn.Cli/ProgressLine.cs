namespace Cairn.Cli;

/// <summary>
/// A self-updating status line on stderr, shown only on a terminal; also handed, four times a second, to an
/// observer when there is one (the GUI shows the very same line).
/// </summary>
internal sealed class ProgressLine : IAsyncDisposable
{
    private readonly TextWriter _error;
    private readonly Func<TimeSpan, string> _render;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task? _loop;
    private readonly Lock _lock = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly bool _draw;
    private readonly Action<string>? _observer;

    public ProgressLine(TextWriter error, bool enabled, Func<TimeSpan, string> render, Action<string>? observer = null)
    {
        _error = error;
        _render = render;
        _draw = enabled;
        _observer = observer;
        if (enabled || observer is not null)
            _loop = LoopAsync();
    }

    /// <summary>True when the line is drawn on the terminal.</summary>
    public bool Enabled => _draw;

    /// <summary>True when someone follows the progress: worth counting totals for an ETA.</summary>
    public bool Followed => _loop is not null;

    /// <summary>Prints a line above the status line.</summary>
    public void WriteLine(string text)
    {
        lock (_lock)
        {
            if (Enabled)
                _error.Write("\r\x1b[K");
            _error.WriteLine(text);
        }
    }

    private async Task LoopAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(250, _stop.Token).ConfigureAwait(false);
                var text = _render(_clock.Elapsed);
                _observer?.Invoke(text);
                if (!_draw)
                    continue;
                lock (_lock)
                    _error.Write("\r\x1b[K" + text);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
            if (_draw)
            {
                lock (_lock)
                    _error.Write("\r\x1b[K");
            }
        }
        _stop.Dispose();
    }

    public static string Rate(long bytes, TimeSpan elapsed) =>
        elapsed.TotalSeconds < 0.5 ? "" : Humanize.Bytes((long)(bytes / elapsed.TotalSeconds)) + "/s";

    public static string Eta(long done, long total, TimeSpan elapsed)
    {
        if (done <= 0 || total <= done || elapsed.TotalSeconds < 1)
            return "";
        var remaining = TimeSpan.FromSeconds(elapsed.TotalSeconds * (total - done) / done);
        return "ETA " + Humanize.Duration(remaining);
    }
}
