using Cairn.Storage.S3;
using Cairn.Tests.Shared;

namespace Cairn.Storage.Tests;

/// <summary>The conformance suite on an <see cref="S3Storage"/> in a new bucket of a real S3-compatible server on loopback.</summary>
public sealed class S3StorageConformanceTests : StorageConformanceTests
{
    protected override IStorage CreateStorage()
    {
        var server = S3Server.StartAsync().GetAwaiter().GetResult();
        return new S3Storage(new S3Location(server.Endpoint, S3Server.NewBucket(), "some/prefix"), new S3StorageOptions
        {
            Credentials = (S3Server.AccessKey, S3Server.SecretKey),
        });
    }
}
