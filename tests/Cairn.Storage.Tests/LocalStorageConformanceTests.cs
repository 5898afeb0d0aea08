namespace Cairn.Storage.Tests;

/// <summary>The conformance suite on a <see cref="LocalStorage"/> in a fresh temporary directory.</summary>
public sealed class LocalStorageConformanceTests : StorageConformanceTests, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cairn-storage-tests-" + Guid.NewGuid().ToString("N"));

    protected override IStorage CreateStorage() => new LocalStorage(_root);

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }
}
