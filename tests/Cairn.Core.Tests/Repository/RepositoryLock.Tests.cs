using System.Text;
using Cairn.Core.Crypto;
using Cairn.Core.Repository;
using Cairn.Storage;

namespace Cairn.Core.Tests.Repository;

public sealed class RepositoryLockTests
{
    [Fact]
    public async Task A_lock_released_twice_is_released_once_without_an_error()
    {
        var storage = new MemoryStorage();
        await using var repository = await Core.Repository.Repository.InitAsync(storage, Encoding.UTF8.GetBytes("pw"),
            new RepositoryInitOptions { Kdf = KdfParameters.Minimum });
        var held = await repository.LockAsync(exclusive: false, "restore");
        Assert.Single(await RepositoryLock.ListAsync(storage, repository.Keys));

        await held.DisposeAsync();
        await held.DisposeAsync();

        Assert.Empty(await RepositoryLock.ListAsync(storage, repository.Keys));
    }
}
