using Cairn.Storage.S3;
using Cairn.Tests.Shared;

namespace Cairn.Storage.Tests;

/// <summary>How the S3 store meets a missing bucket, refused credentials, no server, and an object cut short on the server.</summary>
public sealed class S3StorageTests : IAsyncLifetime
{
    private S3Server _server = null!;

    public async Task InitializeAsync() => _server = await S3Server.StartAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private S3Storage Open(string bucket, (string, string)? credentials = null, Uri? endpoint = null) =>
        new(new S3Location(endpoint ?? _server.Endpoint, bucket, "repo"), new S3StorageOptions
        {
            Credentials = credentials ?? (S3Server.AccessKey, S3Server.SecretKey),
        });

    [Theory]
    [InlineData("s3:http://127.0.0.1:9000/bucket/a/b", "http://127.0.0.1:9000/", "bucket", "a/b")]
    [InlineData("s3:https://minio.lan/backups", "https://minio.lan/", "backups", "")]
    [InlineData("s3:s3.amazonaws.com/bucket/host1/", "https://s3.amazonaws.com/", "bucket", "host1")]
    public void Locations_parse(string url, string endpoint, string bucket, string prefix)
    {
        var location = S3Location.Parse(url);

        Assert.Equal(new S3Location(new Uri(endpoint), bucket, prefix), location);
    }

    [Fact]
    public void A_location_without_a_bucket_is_refused_with_the_form_to_use()
    {
        var e = Assert.Throws<FormatException>(() => S3Location.Parse("s3:http://127.0.0.1:9000"));

        Assert.Contains("s3:https://HOST[:PORT]/BUCKET[/PREFIX]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_bucket_is_named()
    {
        var bucket = S3Server.NewBucket();
        await using var storage = Open(bucket);

        var e = await Assert.ThrowsAsync<StorageException>(() => storage.StatAsync(ObjectName.Config));

        Assert.Equal(StorageErrorKind.Permanent, e.Kind);
        Assert.Contains($"the bucket {bucket} does not exist at {_server.Endpoint}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_makes_the_bucket_and_keeps_one_that_exists()
    {
        var bucket = S3Server.NewBucket();
        await using var storage = Open(bucket);

        await storage.CreateAsync();
        await storage.WriteAsync(ObjectName.Config, "x"u8.ToArray());
        await storage.CreateAsync();

        Assert.Equal("x"u8.ToArray(), await storage.ReadAllAsync(ObjectName.Config));
        Assert.True(File.Exists(_server.ObjectFile(bucket, "repo/config")));
    }

    [Fact]
    public async Task Wrong_credentials_are_refused_as_such()
    {
        // s3rver checks the access key, not version-4 signatures: a wrong key stands for wrong credentials.
        await using var storage = Open(S3Server.NewBucket(), ("NOT-S3RVER", S3Server.SecretKey));

        var e = await Assert.ThrowsAsync<StorageException>(() => storage.CreateAsync());

        Assert.Equal(StorageErrorKind.Permanent, e.Kind);
        Assert.Contains("the server refused the credentials (InvalidAccessKeyId)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_server_is_a_transient_failure_with_the_reason()
    {
        await using var storage = Open("bucket", endpoint: new Uri("http://127.0.0.1:1"));

        var e = await Assert.ThrowsAsync<StorageException>(() => storage.StatAsync(ObjectName.Config));

        Assert.Equal(StorageErrorKind.Transient, e.Kind);
        Assert.Contains("Connection refused", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_object_cut_short_on_the_server_reads_short()
    {
        var bucket = S3Server.NewBucket();
        await using var storage = Open(bucket);
        await storage.CreateAsync();
        var name = new ObjectName(ObjectKind.Pack, new string('a', 64));
        await storage.WriteAsync(name, new byte[1000]);

        using (var file = new FileStream(_server.ObjectFile(bucket, "repo/data/aa/" + name.Name), FileMode.Open))
            file.SetLength(600);

        var e = await Assert.ThrowsAsync<StorageException>(() => storage.ReadExactlyAsync(name, 0, new byte[1000]));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }
}
