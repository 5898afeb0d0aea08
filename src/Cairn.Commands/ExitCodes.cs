using Cairn.Core;

namespace Cairn.Commands;

/// <summary>The exit codes of the cairn program (documented in docs/CLI.md).</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>A fatal error not covered by a more specific code.</summary>
    public const int Failed = 1;
    /// <summary>Wrong usage: an unknown option, a missing argument, an invalid value.</summary>
    public const int Usage = 2;
    /// <summary>The backup finished, but some source files could not be read; the snapshot lacks them.</summary>
    public const int Incomplete = 3;
    /// <summary>Repository data is damaged (check found errors, or a restore met damaged data).</summary>
    public const int Damaged = 4;
    /// <summary>The repository does not exist or is not a Cairn repository.</summary>
    public const int RepositoryNotFound = 10;
    /// <summary>The repository is locked by another operation.</summary>
    public const int Locked = 11;
    /// <summary>The password opens no key of the repository.</summary>
    public const int WrongPassword = 12;
    /// <summary>A disk is full (the repository's or the restore target's).</summary>
    public const int NoSpace = 13;
    /// <summary>The storage failed (permissions, network).</summary>
    public const int StorageFailed = 14;
    /// <summary>Interrupted by the user (Ctrl-C, SIGINT, SIGTERM).</summary>
    public const int Interrupted = 130;

    /// <summary>The exit code for an error kind.</summary>
    public static int For(ErrorKind kind) => kind switch
    {
        ErrorKind.Usage or ErrorKind.InvalidInput => Usage,
        ErrorKind.RepositoryNotFound => RepositoryNotFound,
        ErrorKind.WrongPassword => WrongPassword,
        ErrorKind.RepositoryCorrupt => Damaged,
        ErrorKind.Locked => Locked,
        ErrorKind.NoSpace => NoSpace,
        ErrorKind.StorageTransient or ErrorKind.StoragePermanent => StorageFailed,
        ErrorKind.Interrupted => Interrupted,
        _ => Failed,
    };
}
