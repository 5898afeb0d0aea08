namespace Cairn.Storage;

/// <summary>The kinds of object a repository holds; each kind lives in its own namespace of the store.</summary>
public enum ObjectKind
{
    /// <summary>The repository's single configuration object.</summary>
    Config,
    /// <summary>Password-wrapped copies of the repository's master secret.</summary>
    Key,
    /// <summary>Pack files holding encrypted blobs.</summary>
    Pack,
    /// <summary>Index files mapping blobs to packs.</summary>
    Index,
    /// <summary>Snapshot descriptions.</summary>
    Snapshot,
    /// <summary>Lock files of running operations.</summary>
    Lock,
    /// <summary>Deletion notes of prune: packs that leave the repository once no operation can still use them.</summary>
    Pending,
    /// <summary>Holds: snapshots that no forget may remove before a date.</summary>
    Hold,
    /// <summary>Named retention policies.</summary>
    Policy,
}
