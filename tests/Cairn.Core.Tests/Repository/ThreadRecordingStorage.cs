using Cairn.Storage;

namespace Cairn.Core.Tests.Repository;

/// <summary>A store in memory that records, for each pack it stores, whether the thread that stored it belongs to the thread pool.</summary>
internal sealed class ThreadRecordingStorage() : StorageDecorator(new MemoryStorage())
{
    private int _packsStored, _packsStoredOnPoolThreads;

    /// <summary>Packs stored so far.</summary>
    public int PacksStored => Volatile.Read(ref _packsStored);

    /// <summary>Of those, the ones stored by a thread-pool thread.</summary>
    public int PacksStoredOnPoolThreads => Volatile.Read(ref _packsStoredOnPoolThreads);

    public override Task WriteAsync(ObjectName name, ReadOnlyMemory<byte> content, CancellationToken ct = default)
    {
        if (name.Kind == ObjectKind.Pack)
        {
            Interlocked.Increment(ref _packsStored);
            if (Thread.CurrentThread.IsThreadPoolThread)
                Interlocked.Increment(ref _packsStoredOnPoolThreads);
        }
        return Inner.WriteAsync(name, content, ct);
    }
}
