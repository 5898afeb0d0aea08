namespace Cairn.Core;

/// <summary>What went wrong, as far as a user (and an exit code) is concerned.</summary>
public enum ErrorKind
{
    /// <summary>A wrong or missing argument or option.</summary>
    Usage,
    /// <summary>Input that cannot be used (a bad pattern, a missing source path).</summary>
    InvalidInput,
    /// <summary>The repository location does not exist or holds no repository.</summary>
    RepositoryNotFound,
    /// <summary>No key of the repository opens with the given password.</summary>
    WrongPassword,
    /// <summary>Stored data failed authentication or did not parse.</summary>
    RepositoryCorrupt,
    /// <summary>Another process holds a lock that conflicts.</summary>
    Locked,
    /// <summary>The storage failed and trying again may help.</summary>
    StorageTransient,
    /// <summary>The storage failed for good (permissions, a malformed request).</summary>
    StoragePermanent,
    /// <summary>A disk (repository or restore target) is full.</summary>
    NoSpace,
    /// <summary>The user interrupted the operation.</summary>
    Interrupted,
    /// <summary>Anything else: a bug.</summary>
    Internal,
}
