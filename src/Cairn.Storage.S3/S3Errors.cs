using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace Cairn.Storage.S3;

/// <summary>Turns the S3 client's and the network's exceptions into <see cref="StorageException"/>s of the right kind.</summary>
internal static class S3Errors
{
    public static StorageException Translate(Exception e, string what, S3Location location) => e switch
    {
        AmazonS3Exception { ErrorCode: "NoSuchBucket" } => new StorageException(StorageErrorKind.Permanent,
            $"{what}: the bucket {location.Bucket} does not exist at {location.Endpoint} ('cairn init' creates it)", e),
        AmazonS3Exception { ErrorCode: "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "InvalidToken" or "ExpiredToken" } s =>
            new StorageException(StorageErrorKind.Permanent, $"{what}: the server refused the credentials ({s.ErrorCode}): check the access key and secret", e),
        AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden } s =>
            new StorageException(StorageErrorKind.Permanent, $"{what}: access denied ({s.ErrorCode})", e),
        AmazonS3Exception { ErrorCode: "SlowDown" or "RequestTimeout" or "InternalError" or "ServiceUnavailable" } s =>
            new StorageException(StorageErrorKind.Transient, $"{what}: the server is busy ({s.ErrorCode})", e),
        AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError } s =>
            new StorageException(StorageErrorKind.Transient, $"{what}: the server failed ({(int)s.StatusCode} {s.ErrorCode})", e),
        AmazonServiceException s => new StorageException(StorageErrorKind.Permanent, $"{what}: {s.ErrorCode}: {s.Message}", e),
        _ when Connection(e) is { } cause => new StorageException(StorageErrorKind.Transient, $"{what}: {cause}", e),
        OperationCanceledException or TimeoutException => new StorageException(StorageErrorKind.Transient, $"{what}: the request timed out", e),
        AmazonClientException => new StorageException(StorageErrorKind.Transient, $"{what}: {e.Message}", e),
        _ => new StorageException(StorageErrorKind.Permanent, $"{what}: {e.Message}", e),
    };

    /// <summary>The network failure behind an exception, worded for the user, or null.</summary>
    private static string? Connection(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is SocketException s)
                return s.Message;
            if (e is HttpRequestException h && h.InnerException is null)
                return h.Message;
            if (e is IOException io && io.InnerException is null)
                return io.Message;
        }
        return null;
    }
}
