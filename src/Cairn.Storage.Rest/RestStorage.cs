using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cairn.Storage.Rest;

/// <summary>A repository on a Cairn repository server (<c>cairn serve</c>), reached over HTTP or HTTPS.</summary>
public sealed class RestStorage : IStorage
{
    // A spooled object goes out in pieces of this size.
    private const int UploadPieceLength = 256 * 1024;
    private readonly RestLocation _location;
    private readonly HttpClient _client;
    private readonly string _base;
    private readonly TimeSpan _timeout;

    /// <summary>Creates the store; nothing is sent until the first operation.</summary>
    public RestStorage(RestLocation location, RestStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(options);
        _location = location;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(1, options.Connections),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (options.Fingerprint is not null && location.Server.Scheme != Uri.UriSchemeHttps)
            throw new StorageException(StorageErrorKind.Permanent,
                $"{location}: a certificate fingerprint is given, but the server is reached over plain http: use rest:https://");
        if (options.Fingerprint is { } pinned)
        {
            var expected = pinned.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData())) == expected;
        }
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }; // each request has a deadline of its own (RunAsync)
        _timeout = options.Timeout;
        ParallelWrites = Math.Max(1, options.Connections);
        var password = location.Password ?? options.Password;
        if (location.User is { } user)
        {
            if (password is null)
                throw new StorageException(StorageErrorKind.Permanent,
                    $"no password for {user} at {location.Server}: set CAIRN_SERVER_PASSWORD or give -o rest.password-file=FILE");
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }
        _base = $"{location.Server.GetLeftPart(UriPartial.Authority)}/{Uri.EscapeDataString(location.Owner)}/{Uri.EscapeDataString(location.Repository)}/";
    }

    /// <inheritdoc/>
    public string Location => _location.ToString();

    /// <inheritdoc/>
    public int ParallelWrites { get; }

    /// <inheritdoc/>
    public Task CreateAsync(CancellationToken ct = default) => RunAsync(async token =>
    {
        using var response = await _client.PostAsync(_base + "?create=true", null, token).ConfigureAwait(false);
        await EnsureAsync(response, "create the repository", token).ConfigureAwait(false);
        return true;
    }, ct);

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredObject> ListAsync(ObjectKind kind, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (kind == ObjectKind.Config)
        {
            if (await StatAsync(ObjectName.Config, ct).ConfigureAwait(false) is { } config)
                yield return config;
            yield break;
        }
        var entries = await RunAsync(async token =>
        {
            using var response = await _client.GetAsync(_base + ObjectLayout.Directory(kind) + "/", HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            await EnsureAsync(response, $"list {ObjectLayout.Directory(kind)}", token).ConfigureAwait(false);
            await using var body = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: token).ConfigureAwait(false);
            return json.RootElement.EnumerateArray().Select(e => (e.GetProperty("name").GetString()!, e.GetProperty("size").GetInt64())).ToList();
        }, ct).ConfigureAwait(false);
        foreach (var (name, size) in entries)
            yield return new StoredObject(new ObjectName(kind, name), size);
    }

    /// <inheritdoc/>
    public Task<StoredObject?> StatAsync(ObjectName name, CancellationToken ct = default) => RunAsync(async token =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, UrlOf(name));
        using var response = await _client.SendAsync(request, token).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        await EnsureAsync(response, $"look up {name}", token).ConfigureAwait(false);
        return (StoredObject?)new StoredObject(name, response.Content.Headers.ContentLength ?? 0);
    }, ct);

    /// <inheritdoc/>
    public Task<int> ReadAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken ct = default) => RunAsync(async token =>
    {
        if (buffer.Length == 0)
            return 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, UrlOf(name));
        request.Headers.Range = new RangeHeaderValue(offset, offset + buffer.Length - 1);
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            return 0;
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw StorageException.NotFound(name);
        await EnsureAsync(response, $"read {name}", token).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
        var done = 0;
        while (done < buffer.Length)
        {
            var n = await body.ReadAsync(buffer[done..], token).ConfigureAwait(false);
            if (n == 0)
                break;
            done += n;
        }
        return done;
    }, ct, buffer.Length);

    /// <inheritdoc/>
    public Task WriteAsync(ObjectName name, ReadOnlyMemory<byte> content, CancellationToken ct = default) =>
        PostAsync(name, () => new ReadOnlyMemoryContent(content), content.Length, ct);

    /// <inheritdoc/>
    public Task WriteAsync(ObjectName name, IObjectContent content, CancellationToken ct = default) =>
        PostAsync(name, () => new StreamContent(new ObjectContentStream(content), UploadPieceLength), content.Length, ct);

    private Task PostAsync(ObjectName name, Func<HttpContent> open, long length, CancellationToken ct) => RunAsync(async token =>
    {
        using var body = open();
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await _client.PostAsync(UrlOf(name), body, token).ConfigureAwait(false);
        await EnsureAsync(response, $"write {name}", token).ConfigureAwait(false);
        return true;
    }, ct, length);

    /// <inheritdoc/>
    public Task DeleteAsync(ObjectName name, CancellationToken ct = default) => RunAsync(async token =>
    {
        using var response = await _client.DeleteAsync(UrlOf(name), token).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotFound)
            await EnsureAsync(response, $"delete {name}", token).ConfigureAwait(false);
        return true;
    }, ct);

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The object's URL: the repository layout's path, packs without their fan-out directory (the server's business).</summary>
    private string UrlOf(ObjectName name) =>
        _base + (name.Kind == ObjectKind.Pack ? $"{ObjectLayout.Directory(ObjectKind.Pack)}/{name.Name}" : ObjectLayout.RelativePath(name));

    /// <summary>Throws the storage failure a non-success answer stands for, with the server's own words when it gave any.</summary>
    private async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return;
        var said = (await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)).Trim();
        if (said.Length == 0 && response.Headers.TryGetValues("X-Cairn-Error", out var header))
            said = Uri.UnescapeDataString(header.First()); // the server's message, also on answers to HEAD
        var message = $"{_location}: cannot {what}: " + (said.Length > 0 ? said : $"{(int)response.StatusCode} {response.ReasonPhrase}");
        if (response.Headers.TryGetValues("X-Cairn-Error-Kind", out var kinds) && Enum.TryParse<StorageErrorKind>(kinds.First(), out var kind))
            throw new StorageException(kind, message); // the server knows whether trying again can help
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new StorageException(StorageErrorKind.Permanent,
                $"{_location}: the server refused the login of {_location.User ?? "an anonymous client"}: check the user name and password"),
            HttpStatusCode.InsufficientStorage => new StorageException(StorageErrorKind.NoSpace, message),
            HttpStatusCode.NotFound => new StorageException(StorageErrorKind.NotFound, message),
            HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError =>
                new StorageException(StorageErrorKind.Transient, message),
            _ => new StorageException(StorageErrorKind.Permanent, message),
        };
    }

    /// <summary>
    /// Runs one request within its deadline (<see cref="RequestDeadline"/>), turning failures into storage failures.
    /// <paramref name="bytes"/> is what the request carries, so that a slow link gets the time it needs.
    /// </summary>
    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken ct, long bytes = 0)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(RequestDeadline.For(_timeout, bytes));
        try
        {
            return await operation(deadline.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is System.Security.Authentication.AuthenticationException)
        {
            throw new StorageException(StorageErrorKind.Permanent,
                $"{_location}: the server's certificate is not trusted (pin a self-signed one with -o rest.fingerprint=SHA256, printed by 'cairn serve')", e);
        }
        catch (HttpRequestException e)
        {
            throw new StorageException(StorageErrorKind.Transient, $"{_location}: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new StorageException(StorageErrorKind.Transient, $"{_location}: the request timed out", e);
        }
        catch (IOException e)
        {
            throw new StorageException(StorageErrorKind.Transient, $"{_location}: the connection failed: {e.Message}", e);
        }
    }
}
