using Cairn.Core;
using Cairn.Core.Format;
using Cairn.Storage;

namespace Cairn.Commands;

/// <summary>Turns the exceptions the lower layers raise into the one boundary error type.</summary>
public static class ErrorTranslator
{
    /// <summary>Classifies <paramref name="e"/>, or returns null for exceptions that are bugs.</summary>
    public static CairnException? Translate(Exception e) => e switch
    {
        CairnException c => c,
        RepositoryCorruptException r => new CairnException(ErrorKind.RepositoryCorrupt, r.Message, "run 'cairn check' to see what is affected", r),
        StorageException { Kind: StorageErrorKind.NoSpace } s => new CairnException(ErrorKind.NoSpace, s.Message, "free space on that disk; nothing already stored was lost", s),
        StorageException { Kind: StorageErrorKind.Transient } s => new CairnException(ErrorKind.StorageTransient, s.Message, null, s),
        StorageException s => new CairnException(ErrorKind.StoragePermanent, s.Message, null, s),
        OperationCanceledException o => new CairnException(ErrorKind.Interrupted, "interrupted", null, o),
        AggregateException { InnerExceptions.Count: > 0 } a => Translate(a.InnerExceptions[0]),
        _ when e.InnerException is CairnException or RepositoryCorruptException or StorageException => Translate(e.InnerException),
        _ => null,
    };
}
