namespace Cairn.Storage;

/// <summary>The one exception type a store throws; <see cref="Kind"/> classifies it.</summary>
public sealed class StorageException : Exception
{
    /// <summary>Creates a storage failure of the given kind.</summary>
    public StorageException(StorageErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    /// <summary>How the failure should be handled.</summary>
    public StorageErrorKind Kind { get; }

    /// <summary>A failure for an object that does not exist.</summary>
    public static StorageException NotFound(ObjectName name) =>
        new(StorageErrorKind.NotFound, $"{name} does not exist");
}
