using Cairn.Core.Repository;

namespace Cairn.Core.Tests.Repository;

public sealed class JobQueueRoomTests
{
    [Fact]
    public async Task Lets_in_as_many_blobs_as_jobs_whatever_their_size_and_the_next_once_one_leaves()
    {
        var room = new JobQueueRoom(jobs: 2, smallBytes: 1024);
        Assert.True(room.EnterAsync(8 << 20, CancellationToken.None).IsCompletedSuccessfully);
        Assert.True(room.EnterAsync(8 << 20, CancellationToken.None).IsCompletedSuccessfully);

        var third = room.EnterAsync(8 << 20, CancellationToken.None).AsTask();
        Assert.False(third.IsCompleted);
        room.Leave(8 << 20);
        await third.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Lets_in_small_blobs_beyond_the_jobs_while_all_that_wait_fit_in_the_small_bytes()
    {
        var room = new JobQueueRoom(jobs: 2, smallBytes: 100);
        Assert.True(room.EnterAsync(40, CancellationToken.None).IsCompletedSuccessfully);
        Assert.True(room.EnterAsync(40, CancellationToken.None).IsCompletedSuccessfully);
        Assert.True(room.EnterAsync(10, CancellationToken.None).IsCompletedSuccessfully); // 90 bytes wait

        var over = room.EnterAsync(20, CancellationToken.None).AsTask(); // 110 would
        Assert.False(over.IsCompleted);
        room.Leave(40);
        await over.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_large_blob_waiting_for_room_is_not_overtaken_by_small_ones()
    {
        var room = new JobQueueRoom(jobs: 2, smallBytes: 1000);
        Assert.True(room.EnterAsync(10, CancellationToken.None).IsCompletedSuccessfully);
        Assert.True(room.EnterAsync(10, CancellationToken.None).IsCompletedSuccessfully);
        var large = room.EnterAsync(2000, CancellationToken.None).AsTask();
        var small = room.EnterAsync(10, CancellationToken.None).AsTask(); // would fit, but comes after the large one
        Assert.False(large.IsCompleted);
        Assert.False(small.IsCompleted);

        room.Leave(10); // one job waits: the large one is let in, and with two waiting again the small one is not
        await large.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(small.IsCompleted);

        room.Leave(10);
        await small.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_waiter_that_gives_up_leaves_its_place_to_those_behind_it()
    {
        var room = new JobQueueRoom(jobs: 2, smallBytes: 1000);
        Assert.True(room.EnterAsync(10, CancellationToken.None).IsCompletedSuccessfully);
        Assert.True(room.EnterAsync(10, CancellationToken.None).IsCompletedSuccessfully);
        using var giveUp = new CancellationTokenSource();
        var large = room.EnterAsync(2000, giveUp.Token).AsTask();
        var small = room.EnterAsync(10, CancellationToken.None).AsTask();

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => large.WaitAsync(TimeSpan.FromSeconds(10)));
        await small.WaitAsync(TimeSpan.FromSeconds(10));

        // The large blob never counted: once the three let in leave, two large ones are let in again.
        room.Leave(10);
        room.Leave(10);
        room.Leave(10);
        Assert.True(room.EnterAsync(2000, CancellationToken.None).IsCompletedSuccessfully);
        Assert.True(room.EnterAsync(2000, CancellationToken.None).IsCompletedSuccessfully);
    }
}
