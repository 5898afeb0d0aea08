using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;
using Amazon.S3.Model;

namespace Cairn.Storage.S3;

/// <summary>
/// A repository under a key prefix of an S3 bucket, in the same layout as a local one. Every object is one
/// PUT, which S3 makes atomic and durable before it answers; reads are ranged GETs.
/// </summary>
public sealed class S3Storage : IStorage
{
    private readonly S3Location _location;
    private readonly AmazonS3Client _client;
    private readonly SemaphoreSlim _requests;
    private readonly int _parallelWrites;
    private readonly string _region;
    private readonly TimeSpan _timeout;

    /// <summary>Creates the store; nothing is sent until the first operation.</summary>
    public S3Storage(S3Location location, S3StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(options);
        _location = location;
        var region = options.Region ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") ?? "us-east-1";
        _region = region;
        _timeout = options.Timeout;
        var config = new AmazonS3Config
        {
            ServiceURL = location.Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = region,
            Timeout = Timeout.InfiniteTimeSpan, // each request has a deadline of its own, by its size (RunAsync)
            MaxErrorRetry = 0, // RetryingStorage retries, visibly and for every store alike
            MaxConnectionsPerServer = options.Connections,
            // Checksums only where S3 demands them: several S3-compatible servers store aws-chunked bodies verbatim.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        _client = new AmazonS3Client(Credentials(options, location), config);
        _requests = new SemaphoreSlim(Math.Max(1, options.Connections));
        _parallelWrites = Math.Max(1, options.Connections / 2); // the other half of the connections for reads and lookups
    }

    /// <inheritdoc/>
    public string Location => _location.ToString();

    /// <inheritdoc/>
    public int ParallelWrites => _parallelWrites;

    /// <inheritdoc/>
    public Task CreateAsync(CancellationToken ct = default) => RunAsync(async token =>
    {
        // A bucket that exists is used as it is: credentials limited to one bucket may not create buckets at all.
        // (A listing, not HEAD: its error answers carry a code, e.g. InvalidAccessKeyId, that HEAD answers cannot.)
        try
        {
            await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _location.Bucket, Prefix = KeyOf(""), MaxKeys = 1 }, token).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
        {
            // Made below.
        }
        try
        {
            var request = new PutBucketRequest { BucketName = _location.Bucket };
            if (_region != "us-east-1")
                request.BucketRegionName = _region; // outside us-east-1, AWS wants the location constraint
            await _client.PutBucketAsync(request, token).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            // Already there: the repository goes under its prefix.
        }
        return true;
    }, $"cannot create bucket {_location.Bucket} at {_location.Endpoint}", ct);

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredObject> ListAsync(ObjectKind kind, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (kind == ObjectKind.Config)
        {
            if (await StatAsync(ObjectName.Config, ct).ConfigureAwait(false) is { } config)
                yield return config;
            yield break;
        }
        var prefix = KeyOf(ObjectLayout.Directory(kind) + "/");
        string? continuation = null;
        do
        {
            var page = await RunAsync(token => _client.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = _location.Bucket,
                Prefix = prefix,
                ContinuationToken = continuation,
            }, token), $"cannot list {prefix} in {Location}", ct).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? [])
            {
                var name = o.Key[(o.Key.LastIndexOf('/') + 1)..];
                if (TryName(kind, name) is { } objectName && o.Key == KeyOf(ObjectLayout.RelativePath(objectName)))
                    yield return new StoredObject(objectName, o.Size ?? 0);
            }
            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
    }

    /// <inheritdoc/>
    public Task<StoredObject?> StatAsync(ObjectName name, CancellationToken ct = default) => RunAsync(async token =>
    {
        try
        {
            var head = await _client.GetObjectMetadataAsync(_location.Bucket, KeyOf(name), token).ConfigureAwait(false);
            return (StoredObject?)new StoredObject(name, head.ContentLength);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            // A HEAD answer has no body to tell a missing object from a missing bucket: when the repository's
            // config is missing, which is how a repository is first looked for, ask about the bucket.
            if (name == ObjectName.Config)
                await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _location.Bucket, MaxKeys = 1 }, token).ConfigureAwait(false);
            return null;
        }
    }, $"cannot look up {name} in {Location}", ct);

    /// <inheritdoc/>
    public Task<int> ReadAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken ct = default) => RunAsync(async token =>
    {
        if (buffer.Length == 0)
            return 0;
        try
        {
            using var response = await _client.GetObjectAsync(new GetObjectRequest
            {
                BucketName = _location.Bucket,
                Key = KeyOf(name),
                ByteRange = new ByteRange(offset, offset + buffer.Length - 1),
            }, token).ConfigureAwait(false);
            var done = 0;
            while (done < buffer.Length)
            {
                var n = await response.ResponseStream.ReadAsync(buffer[done..], token).ConfigureAwait(false);
                if (n == 0)
                    break;
                done += n;
            }
            return done;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            throw StorageException.NotFound(name);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return 0; // at or past the end
        }
        catch (HttpIOException)
        {
            // Some servers answer a range past the end of an object, an empty one at least, with a broken response.
            if (await LengthAsync(name, token).ConfigureAwait(false) <= offset)
                return 0;
            throw;
        }
    }, $"cannot read {name} in {Location}", ct, buffer.Length);

    /// <inheritdoc/>
    public Task WriteAsync(ObjectName name, ReadOnlyMemory<byte> content, CancellationToken ct = default) =>
        PutAsync(name, () => content.AsReadOnlyStream(), content.Length, ct);

    /// <inheritdoc/>
    /// <remarks>Sent as it is read: the SDK reads the stream once to sign the request and once to send it.</remarks>
    public Task WriteAsync(ObjectName name, IObjectContent content, CancellationToken ct = default) =>
        PutAsync(name, () => new ObjectContentStream(content), content.Length, ct);

    private Task PutAsync(ObjectName name, Func<Stream> open, long length, CancellationToken ct) => RunAsync(async token =>
    {
        using var stream = open();
        await _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _location.Bucket,
            Key = KeyOf(name),
            InputStream = stream,
            AutoCloseStream = false,
            UseChunkEncoding = false,
        }, token).ConfigureAwait(false);
        return true;
    }, $"cannot write {name} in {Location}", ct, length);

    /// <inheritdoc/>
    public Task DeleteAsync(ObjectName name, CancellationToken ct = default) => RunAsync(async token =>
    {
        await _client.DeleteObjectAsync(_location.Bucket, KeyOf(name), token).ConfigureAwait(false);
        return true;
    }, $"cannot delete {name} in {Location}", ct);

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _requests.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Runs one request within its deadline (<see cref="RequestDeadline"/>), turning failures into storage failures.
    /// <paramref name="bytes"/> is what the request carries, so that a slow link gets the time it needs.
    /// </summary>
    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, string what, CancellationToken ct, long bytes = 0)
    {
        await _requests.WaitAsync(ct).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(RequestDeadline.For(_timeout, bytes));
        try
        {
            return await operation(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not StorageException && !(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            throw S3Errors.Translate(e, what, _location);
        }
        finally
        {
            _requests.Release();
        }
    }

    private async Task<long> LengthAsync(ObjectName name, CancellationToken ct) =>
        (await _client.GetObjectMetadataAsync(_location.Bucket, KeyOf(name), ct).ConfigureAwait(false)).ContentLength;

    private string KeyOf(ObjectName name) => KeyOf(ObjectLayout.RelativePath(name));

    private string KeyOf(string relative) => _location.Prefix.Length == 0 ? relative : _location.Prefix + "/" + relative;

    private static ObjectName? TryName(ObjectKind kind, string name)
    {
        try
        {
            return new ObjectName(kind, name);
        }
        catch (ArgumentException)
        {
            return null; // not an object of Cairn's
        }
    }

    private static AWSCredentials Credentials(S3StorageOptions options, S3Location location)
    {
        if (options.Credentials is { } given)
            return new BasicAWSCredentials(given.AccessKey, given.SecretKey);
        if (Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") is { Length: > 0 } key
            && Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") is { Length: > 0 } secret)
        {
            return Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN") is { Length: > 0 } token
                ? new SessionAWSCredentials(key, secret, token)
                : new BasicAWSCredentials(key, secret);
        }
        var profile = options.Profile ?? Environment.GetEnvironmentVariable("AWS_PROFILE") ?? "default";
        if (new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var fromProfile))
            return fromProfile;
        throw new StorageException(StorageErrorKind.Permanent,
            $"no credentials for {location}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a profile of ~/.aws/credentials with AWS_PROFILE or -o s3.profile=NAME");
    }
}
