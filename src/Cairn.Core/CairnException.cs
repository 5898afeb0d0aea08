namespace Cairn.Core;

/// <summary>The one error type that crosses the boundary to the front ends: a kind, a message and advice.</summary>
public sealed class CairnException : Exception
{
    /// <summary>Creates an error.</summary>
    public CairnException(ErrorKind kind, string message, string? hint = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Hint = hint;
    }

    /// <summary>What went wrong.</summary>
    public ErrorKind Kind { get; }

    /// <summary>What the user can do about it, if anything useful can be said.</summary>
    public string? Hint { get; }
}
