namespace Cairn.Core;

/// <summary>
/// What every long operation reports besides its counters: entries that failed (which make the result
/// incomplete) and warnings. Front ends subscribe with <see cref="WarningReceived"/>; the core never prints.
/// </summary>
public abstract class OperationProgress
{
    private long _errors;

    /// <summary>Entries that could not be handled.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Called with (path, message) for every error and warning, from any thread.</summary>
    public Action<string, string>? WarningReceived { get; set; }

    /// <summary>Reports an entry that could not be handled; the operation goes on.</summary>
    public void Error(string path, string message)
    {
        Interlocked.Increment(ref _errors);
        WarningReceived?.Invoke(path, message);
    }

    /// <summary>Reports something worth knowing that does not make the result incomplete.</summary>
    public void Warning(string path, string message) => WarningReceived?.Invoke(path, message);
}
