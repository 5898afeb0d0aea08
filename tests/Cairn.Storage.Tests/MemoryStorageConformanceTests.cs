namespace Cairn.Storage.Tests;

/// <summary>The conformance suite on a <see cref="MemoryStorage"/>.</summary>
public sealed class MemoryStorageConformanceTests : StorageConformanceTests
{
    protected override IStorage CreateStorage() => new MemoryStorage();
}
