namespace Cairn.Core.Repository;

/// <summary>
/// How many blobs may wait for a compression worker: any <c>jobs</c> of them, and beyond that more as long as all
/// that wait hold at most <c>smallBytes</c>. A few large chunks keep the workers busy while their memory stays
/// bounded; small files' blobs queue by the hundred, so that the pauses of the files' readers (a directory's listing,
/// each file's open and status) do not leave a worker with nothing to do. Blobs are let in in the order they came:
/// a large chunk waiting for room is not overtaken by small ones.
/// </summary>
internal sealed class JobQueueRoom(int jobs, long smallBytes)
{
    private readonly Lock _lock = new();
    private readonly Queue<(int Length, TaskCompletionSource Admitted)> _waiting = new();
    private int _jobs;
    private long _bytes;

    /// <summary>Waits until a blob of <paramref name="length"/> bytes may join the queue, and counts it in.</summary>
    public ValueTask EnterAsync(int length, CancellationToken ct)
    {
        TaskCompletionSource admitted;
        lock (_lock)
        {
            if (_waiting.Count == 0 && Fits(length))
            {
                Count(length);
                return ValueTask.CompletedTask;
            }
            admitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue((length, admitted));
        }
        return WaitAsync(admitted, ct);
    }

    /// <summary>Counts out a blob that a worker took, and lets in those waiting that now fit.</summary>
    public void Leave(int length)
    {
        lock (_lock)
        {
            _jobs--;
            _bytes -= length;
            LetInWaiting();
        }
    }

    private async ValueTask WaitAsync(TaskCompletionSource admitted, CancellationToken ct)
    {
        // A waiter that gives up leaves its place; those behind it may fit now. One let in before it gave up is in.
        await using (ct.Register(() =>
        {
            lock (_lock)
            {
                if (admitted.TrySetCanceled(ct))
                    LetInWaiting();
            }
        }).ConfigureAwait(false))
        {
            await admitted.Task.ConfigureAwait(false);
        }
    }

    private void LetInWaiting()
    {
        while (_waiting.TryPeek(out var next))
        {
            if (next.Admitted.Task.IsCompleted)
            {
                _waiting.Dequeue();
                continue;
            }
            if (!Fits(next.Length))
                return;
            _waiting.Dequeue();
            Count(next.Length);
            next.Admitted.TrySetResult();
        }
    }

    private bool Fits(int length) => _jobs < jobs || _bytes + length <= smallBytes;

    private void Count(int length)
    {
        _jobs++;
        _bytes += length;
    }
}
