using System.Net.Sockets;
using Renci.SshNet.Common;

namespace Cairn.Storage.Sftp;

/// <summary>Turns SSH.NET's and the network's exceptions into <see cref="StorageException"/>s of the right kind.</summary>
internal static class SftpErrors
{
    /// <summary>True when the connection itself failed (dropped, timed out, refused): worth retrying on a new one.</summary>
    public static bool IsConnectionFailure(Exception e) => e is SshConnectionException or SshOperationTimeoutException
        or SocketException or ObjectDisposedException or TimeoutException or IOException { InnerException: SocketException };

    /// <summary>The storage failure for an exception of an operation on <paramref name="what"/>.</summary>
    public static StorageException Translate(Exception e, string what) => e switch
    {
        StorageException s => s,
        SftpPermissionDeniedException => new StorageException(StorageErrorKind.Permanent, $"{what}: permission denied on the server", e),
        SshAuthenticationException => new StorageException(StorageErrorKind.Permanent, $"{what}: the server refused the login: {e.Message}", e),
        SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData } =>
            new StorageException(StorageErrorKind.Permanent, $"{what}: unknown host", e),
        SocketException socket => new StorageException(StorageErrorKind.Transient, $"{what}: {socket.Message}", e),
        _ when IsConnectionFailure(e) => new StorageException(StorageErrorKind.Transient, $"{what}: the connection failed: {e.Message}", e),
        SshException => new StorageException(StorageErrorKind.Permanent, $"{what}: the server answered: {e.Message}", e),
        _ => new StorageException(StorageErrorKind.Permanent, $"{what}: {e.Message}", e),
    };
}
