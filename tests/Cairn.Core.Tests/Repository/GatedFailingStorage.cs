using Cairn.Storage;

namespace Cairn.Core.Tests.Repository;

/// <summary>
/// A store in memory with one upload at a time whose pack writes wait for <see cref="Fail"/> and then fail, so that a
/// test can fill the upload queue before the only uploader gives up.
/// </summary>
internal sealed class GatedFailingStorage() : StorageDecorator(new MemoryStorage())
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _packWritesStarted;

    public override int ParallelWrites => 1;

    /// <summary>Pack writes begun so far.</summary>
    public int PackWritesStarted => Volatile.Read(ref _packWritesStarted);

    /// <summary>Lets every waiting and later pack write fail.</summary>
    public void Fail() => _gate.TrySetResult();

    public override async Task WriteAsync(ObjectName name, ReadOnlyMemory<byte> content, CancellationToken ct = default)
    {
        if (name.Kind != ObjectKind.Pack)
        {
            await Inner.WriteAsync(name, content, ct);
            return;
        }
        Interlocked.Increment(ref _packWritesStarted);
        await _gate.Task.WaitAsync(ct);
        throw new StorageException(StorageErrorKind.Permanent, "the server went away");
    }
}
