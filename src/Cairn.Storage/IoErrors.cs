namespace Cairn.Storage;

/// <summary>Recognises operating-system errors that .NET reports only as a generic <see cref="IOException"/>.</summary>
public static class IoErrors
{
    private const int Enospc = 28;
    private const int Edquot = 122;
    private const int WindowsDiskFull = unchecked((int)0x80070070);

    /// <summary>True when the error means the filesystem or quota is full.</summary>
    public static bool IsNoSpace(IOException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.HResult is Enospc or Edquot or WindowsDiskFull
            || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("quota exceeded", StringComparison.OrdinalIgnoreCase);
    }
}
