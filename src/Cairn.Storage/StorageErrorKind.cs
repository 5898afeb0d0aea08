namespace Cairn.Storage;

/// <summary>How a storage failure should be handled by the layers above.</summary>
public enum StorageErrorKind
{
    /// <summary>The object does not exist.</summary>
    NotFound,
    /// <summary>The operation may succeed if tried again (a dropped connection, a busy server).</summary>
    Transient,
    /// <summary>Trying again will not help (permission denied, a malformed request).</summary>
    Permanent,
    /// <summary>The store has no space left.</summary>
    NoSpace,
    /// <summary>The object already exists and the store does not overwrite.</summary>
    AlreadyExists,
}
