using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Cairn.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Cairn.Server;

/// <summary>
/// The repository server: stores the objects of many repositories (<c>ROOT/OWNER/REPOSITORY</c>) for clients
/// over HTTP(S), checks who may use which, and refuses deletes and overwrites to append-only users. It only ever
/// sees encrypted objects. The protocol is documented in docs/SERVER.md.
/// </summary>
public sealed class RepositoryServer : IAsyncDisposable
{
    // Packs are 16 MiB by default; the limit leaves room for larger pack sizes and keeps a client that declares a
    // huge body from making the server hold it.
    private const long MaxObjectSize = 256L << 20;
    // An upload is read and written in pieces of this size.
    private const int UploadPieceLength = 1024 * 1024;
    private readonly ServerOptions _options;
    private readonly WebApplication _app;

    private RepositoryServer(ServerOptions options)
    {
        _options = options;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxObjectSize;
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Listen, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                if (options.Certificate is { } certificate)
                    listen.UseHttps(certificate);
            });
        });
        _app = builder.Build();
        _app.MapGet("/healthz", () => Results.Text("ok\n"));
        _app.Map("/{owner}/{repository}/{**rest}", HandleAsync);
    }

    /// <summary>The URLs the server answers on.</summary>
    public IReadOnlyList<string> Addresses => [.. _app.Urls];

    /// <summary>Starts a server; it runs until disposed.</summary>
    public static async Task<RepositoryServer> StartAsync(ServerOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var server = new RepositoryServer(options);
        await server._app.StartAsync(ct).ConfigureAwait(false);
        return server;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext http, string owner, string repository, string? rest)
    {
        ServerUser? user = null;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            if (!RepositoryPath.IsValidSegment(owner) || !RepositoryPath.IsValidSegment(repository))
            {
                await RespondAsync(http, HttpStatusCode.BadRequest, "invalid repository path: use /OWNER/REPOSITORY/").ConfigureAwait(false);
                return;
            }
            if (_options.Users is { } users)
            {
                user = Authenticate(http, users);
                if (user is null)
                {
                    http.Response.Headers.WWWAuthenticate = "Basic realm=\"cairn\", charset=\"UTF-8\"";
                    await RespondAsync(http, HttpStatusCode.Unauthorized, "wrong user name or password").ConfigureAwait(false);
                    return;
                }
                if (!user.MayUse(owner, repository))
                {
                    await RespondAsync(http, HttpStatusCode.Forbidden, $"{user.Name} may not use {owner}/{repository}").ConfigureAwait(false);
                    return;
                }
            }
            var appendOnly = _options.AppendOnly || user?.AppendOnly == true;
            var storage = new LocalStorage(Path.Combine(_options.Root, owner, repository));
            await DispatchAsync(http, storage, $"{owner}/{repository}", rest ?? "", appendOnly, user?.Name).ConfigureAwait(false);
        }
        catch (StorageException e) when (!http.Response.HasStarted)
        {
            var status = e.Kind switch
            {
                StorageErrorKind.NotFound => HttpStatusCode.NotFound,
                StorageErrorKind.NoSpace => HttpStatusCode.InsufficientStorage,
                StorageErrorKind.Transient => HttpStatusCode.ServiceUnavailable,
                _ => HttpStatusCode.InternalServerError,
            };
            // The kind travels along, so that the client does not retry what cannot succeed; the server's own
            // directories stay out of the message.
            http.Response.Headers[ErrorKindHeader] = e.Kind.ToString();
            await RespondAsync(http, status, e.Message.Replace(_options.Root.TrimEnd('/') + "/", "", StringComparison.Ordinal)).ConfigureAwait(false);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (!http.Response.HasStarted)
        {
            await RespondAsync(http, (HttpStatusCode)e.StatusCode, e.Message).ConfigureAwait(false);
        }
        finally
        {
            if (_options.Log is { } log)
            {
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {user?.Name ?? "-"} {http.Request.Method} {http.Request.Path} {http.Response.StatusCode} {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:0}ms");
                lock (log)
                    log.WriteLine(line);
            }
        }
    }

    private static async Task DispatchAsync(HttpContext http, LocalStorage storage, string repository, string rest, bool appendOnly, string? user)
    {
        var method = http.Request.Method;
        if (rest.Length == 0)
        {
            if (HttpMethods.IsPost(method) && http.Request.Query["create"] == "true")
            {
                await storage.CreateAsync(http.RequestAborted).ConfigureAwait(false);
                await RespondAsync(http, HttpStatusCode.OK, "created").ConfigureAwait(false);
                return;
            }
            await RespondAsync(http, HttpStatusCode.BadRequest, "POST ?create=true creates a repository").ConfigureAwait(false);
            return;
        }
        var parts = rest.Split('/', 2);
        if (parts.Length == 1 && parts[0] == "config")
        {
            await ObjectAsync(http, storage, ObjectName.Config, repository, appendOnly, user).ConfigureAwait(false);
            return;
        }
        if (KindOf(parts[0]) is not { } kind)
        {
            await RespondAsync(http, HttpStatusCode.NotFound, $"no such object type '{parts[0]}'").ConfigureAwait(false);
            return;
        }
        if (parts.Length == 1 || parts[1].Length == 0)
        {
            if (!HttpMethods.IsGet(method))
            {
                await RespondAsync(http, HttpStatusCode.MethodNotAllowed, "lists are read with GET").ConfigureAwait(false);
                return;
            }
            await ListAsync(http, storage, kind).ConfigureAwait(false);
            return;
        }
        ObjectName name;
        try
        {
            name = new ObjectName(kind, parts[1]);
        }
        catch (ArgumentException)
        {
            await RespondAsync(http, HttpStatusCode.BadRequest, $"invalid object name '{parts[1]}'").ConfigureAwait(false);
            return;
        }
        await ObjectAsync(http, storage, name, repository, appendOnly, user).ConfigureAwait(false);
    }

    private static async Task ObjectAsync(HttpContext http, LocalStorage storage, ObjectName name, string repository, bool appendOnly, string? user)
    {
        var method = http.Request.Method;
        var ct = http.RequestAborted;
        if (HttpMethods.IsHead(method))
        {
            if (await storage.StatAsync(name, ct).ConfigureAwait(false) is not { } stat)
            {
                http.Response.StatusCode = (int)HttpStatusCode.NotFound;
                return;
            }
            http.Response.ContentLength = stat.Length;
            return;
        }
        if (HttpMethods.IsGet(method))
        {
            await ReadAsync(http, storage, name).ConfigureAwait(false);
            return;
        }
        // Locks are the one kind an append-only client must replace and remove: a backup refreshes its lock and
        // removes it when done. They hold no data.
        var guarded = appendOnly && name.Kind != ObjectKind.Lock;
        if (HttpMethods.IsPost(method))
        {
            await WriteAsync(http, storage, name, guarded ? $"append-only: {user ?? "this server"} may add to {repository} but not overwrite {name}" : null).ConfigureAwait(false);
            return;
        }
        if (HttpMethods.IsDelete(method))
        {
            if (guarded)
            {
                await RespondAsync(http, HttpStatusCode.Forbidden, $"append-only: {user ?? "this server"} may add to {repository} but not delete {name}").ConfigureAwait(false);
                return;
            }
            await storage.DeleteAsync(name, ct).ConfigureAwait(false);
            await RespondAsync(http, HttpStatusCode.OK, "deleted").ConfigureAwait(false);
            return;
        }
        await RespondAsync(http, HttpStatusCode.MethodNotAllowed, "objects are read with HEAD and GET, written with POST, removed with DELETE").ConfigureAwait(false);
    }

    private static async Task ReadAsync(HttpContext http, LocalStorage storage, ObjectName name)
    {
        var ct = http.RequestAborted;
        var stat = await storage.StatAsync(name, ct).ConfigureAwait(false) ?? throw StorageException.NotFound(name);
        long offset = 0, length = stat.Length;
        if (http.Request.Headers.Range.Count > 0)
        {
            var range = http.Request.GetTypedHeaders().Range;
            if (range is not { Unit.Value: "bytes", Ranges.Count: 1 } || range.Ranges.First() is not { From: { } from } r)
            {
                await RespondAsync(http, HttpStatusCode.BadRequest, "one byte range FROM-TO is supported").ConfigureAwait(false);
                return;
            }
            if (from >= stat.Length)
            {
                http.Response.StatusCode = (int)HttpStatusCode.RequestedRangeNotSatisfiable;
                return;
            }
            offset = from;
            length = Math.Min(stat.Length, (r.To ?? long.MaxValue - 1) + 1) - from;
            http.Response.StatusCode = (int)HttpStatusCode.PartialContent;
        }
        http.Response.ContentLength = length;
        http.Response.ContentType = "application/octet-stream";
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(length, 1 << 20));
        try
        {
            for (long done = 0; done < length;)
            {
                var want = (int)Math.Min(buffer.Length, length - done);
                var n = await storage.ReadAsync(name, offset + done, buffer.AsMemory(0, want), ct).ConfigureAwait(false);
                if (n == 0)
                    throw new StorageException(StorageErrorKind.Permanent, $"{name} shrank while it was sent");
                await http.Response.Body.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                done += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Stores the request's body as the object, written piece by piece into a draft of it in the repository (so an
    /// upload never sits in the server's memory whole) and committed once complete. With <paramref name="noOverwrite"/>
    /// (append-only) an object that exists is left alone: the same bytes again (a client retrying a write whose
    /// answer it lost) are accepted, different bytes refused with that message.
    /// </summary>
    private static async Task WriteAsync(HttpContext http, LocalStorage storage, ObjectName name, string? noOverwrite)
    {
        if (http.Request.ContentLength is not { } length)
        {
            await RespondAsync(http, HttpStatusCode.LengthRequired, "send the object's length").ConfigureAwait(false);
            return;
        }
        if (length > MaxObjectSize)
        {
            await RespondAsync(http, HttpStatusCode.RequestEntityTooLarge, $"objects are at most {MaxObjectSize} bytes").ConfigureAwait(false);
            return;
        }
        var ct = http.RequestAborted;
        using var draft = storage.StartDraft(name.Kind)!;
        var piece = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(length, 1, UploadPieceLength));
        try
        {
            for (long at = 0; at < length;)
            {
                var n = await http.Request.Body.ReadAsync(piece.AsMemory(0, (int)Math.Min(piece.Length, length - at)), ct).ConfigureAwait(false);
                if (n == 0)
                {
                    await RespondAsync(http, HttpStatusCode.BadRequest, "the body was shorter than its length").ConfigureAwait(false);
                    return;
                }
                draft.Write(at, piece.AsSpan(0, n));
                at += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(piece);
        }
        if (noOverwrite is not null && await storage.StatAsync(name, ct).ConfigureAwait(false) is { } existing)
        {
            var same = existing.Length == length && await storage.HoldsAsync(name, draft, ct).ConfigureAwait(false);
            await RespondAsync(http, same ? HttpStatusCode.OK : HttpStatusCode.Forbidden, same ? "stored" : noOverwrite).ConfigureAwait(false);
            return;
        }
        await draft.CommitAsync(name, ct).ConfigureAwait(false);
        await RespondAsync(http, HttpStatusCode.OK, "stored").ConfigureAwait(false);
    }

    private static async Task ListAsync(HttpContext http, LocalStorage storage, ObjectKind kind)
    {
        http.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(http.Response.Body);
        json.WriteStartArray();
        await foreach (var o in storage.ListAsync(kind, http.RequestAborted).ConfigureAwait(false))
        {
            json.WriteStartObject();
            json.WriteString("name", o.Name.Name);
            json.WriteNumber("size", o.Length);
            json.WriteEndObject();
            if (json.BytesPending > 64 * 1024)
                await json.FlushAsync(http.RequestAborted).ConfigureAwait(false);
        }
        json.WriteEndArray();
        await json.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }

    private static ServerUser? Authenticate(HttpContext http, UserDatabase users)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return null;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return null;
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? null : users.Authenticate(decoded[..colon], decoded[(colon + 1)..]);
    }

    /// <summary>The kind of object a path segment names (the directory names of the repository layout).</summary>
    private static ObjectKind? KindOf(string segment) => segment switch
    {
        "keys" => ObjectKind.Key,
        "data" => ObjectKind.Pack,
        "index" => ObjectKind.Index,
        "snapshots" => ObjectKind.Snapshot,
        "locks" => ObjectKind.Lock,
        "pending" => ObjectKind.Pending,
        "holds" => ObjectKind.Hold,
        "policies" => ObjectKind.Policy,
        _ => null,
    };

    /// <summary>The header that repeats an error's message, for answers to HEAD, which carry no body.</summary>
    public const string ErrorHeader = "X-Cairn-Error";

    /// <summary>The header that says what kind of storage failure an error is (<see cref="StorageErrorKind"/>).</summary>
    public const string ErrorKindHeader = "X-Cairn-Error-Kind";

    private static Task RespondAsync(HttpContext http, HttpStatusCode status, string message)
    {
        http.Response.StatusCode = (int)status;
        if ((int)status >= 400)
            http.Response.Headers[ErrorHeader] = Uri.EscapeDataString(message);
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync(message + "\n", http.RequestAborted);
    }
}
