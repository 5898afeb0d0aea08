using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Cairn.Commands;
using Cairn.Core;
using Cairn.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cairn.Cli.Gui;

/// <summary>
/// <c>cairn ui</c>'s web server: the page (embedded in the binary), and an API whose every action is a cairn command
/// line (<see cref="GuiCommands"/>). Nothing is served without the access token printed at start: the page's URL
/// carries it once, and a cookie for the page's own requests afterwards. A stream of server-sent events tells the
/// page when a repository's snapshots change, whoever changed them.
/// </summary>
internal sealed class GuiServer : IAsyncDisposable
{
    private const string CookieName = "cairn_token";
    private static readonly string[] ReadOnly = ["snapshots", "ls", "find", "diff", "stats", "jobs"];
    private readonly WebApplication _app;
    private readonly GuiCommands _commands;
    private readonly byte[] _token;

    private GuiServer(IPEndPoint listen, X509Certificate2? certificate, GuiCommands commands, string token, StorageSettings storage)
    {
        _commands = commands;
        _token = Encoding.ASCII.GetBytes(token);
        Token = token;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(listen, options =>
            {
                if (certificate is not null)
                    options.UseHttps(certificate);
            });
        });
        _app = builder.Build();
        _app.Use(async (http, next) =>
        {
            if (!Authorized(http))
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await http.Response.WriteAsync("cairn ui: this address needs the access token that 'cairn ui' printed (?token=...)\n").ConfigureAwait(false);
                return;
            }
            await next(http).ConfigureAwait(false);
        });
        _app.MapGet("/", () => Asset("index.html", "text/html; charset=utf-8"));
        _app.MapGet("/app.js", () => Asset("app.js", "text/javascript; charset=utf-8"));
        _app.MapGet("/app.css", () => Asset("app.css", "text/css; charset=utf-8"));
        _app.MapGet("/api/repositories", () => Results.Json(
            _commands.Repositories.Select(r => new GuiRepositoryInfo(r.Name, r.Url)).ToList(), GuiJsonContext.Default.ListGuiRepositoryInfo));
        _app.MapPost("/api/repositories", async (HttpContext http) =>
        {
            try
            {
                var request = await JsonSerializer.DeserializeAsync(http.Request.Body, GuiJsonContext.Default.GuiOpenRequest, http.RequestAborted).ConfigureAwait(false);
                var opened = _commands.Open(request?.Url ?? "", request?.PasswordFile, request?.PasswordCommand);
                return Results.Json(new GuiRepositoryInfo(opened.Name, opened.Url), GuiJsonContext.Default.GuiRepositoryInfo);
            }
            catch (Exception e) when (e is JsonException or CairnException)
            {
                return Results.BadRequest(e is CairnException c ? $"cairn: {c.Message}\n" : $"cairn ui: {e.Message}\n");
            }
        });
        _app.MapPost("/api/preview", (Func<HttpContext, Task<IResult>>)(http => Answer(http, action =>
            Task.FromResult(Results.Json(new GuiActionResult(_commands.Render(action), 0, "", ""), GuiJsonContext.Default.GuiActionResult)))));
        _app.MapPost("/api/run", (Func<HttpContext, Task<IResult>>)(http => Answer(http, async action =>
        {
            var task = await _commands.StartAsync(action).ConfigureAwait(false);
            return Results.Json(new GuiTaskStarted(task.Id, task.Command), GuiJsonContext.Default.GuiTaskStarted);
        })));
        _app.MapGet("/api/download", DownloadAsync);
        _app.MapGet("/api/tasks/{id}", (HttpContext http, string id) => FollowAsync(http, id));
        _app.MapPost("/api/tasks/{id}/cancel", (string id) =>
        {
            if (_commands.Find(id) is not { } task)
                return Results.NotFound();
            task.Cancel();
            return Results.Ok();
        });
        _app.MapPost("/api/query", (Func<HttpContext, Task<IResult>>)(http => Answer(http, async action => IsQuery(action.Arguments)
            ? Results.Json(await _commands.QueryAsync(action).ConfigureAwait(false), GuiJsonContext.Default.GuiActionResult)
            : Results.BadRequest("cairn ui: only listings are queries; run other commands through /api/run\n"))));
        _app.MapGet("/api/events", (HttpContext http, string repository) => WatchAsync(http, repository, storage));
    }

    /// <summary>Listings, and previews of what forget would do: what the page may ask without a confirmation, unlogged.</summary>
    private static bool IsQuery(string[] arguments) =>
        ReadOnly.Contains(arguments.FirstOrDefault())
        || arguments.FirstOrDefault() is "forget" or "prune" && arguments.Contains("--dry-run")
        || arguments is ["key", "list", ..];

    /// <summary>The access token.</summary>
    public string Token { get; }

    /// <summary>The address it answers on.</summary>
    public string Address => _app.Urls.First();

    public static async Task<GuiServer> StartAsync(IPEndPoint listen, X509Certificate2? certificate, GuiCommands commands, StorageSettings storage, CancellationToken ct)
    {
        var server = new GuiServer(listen, certificate, commands, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)), storage);
        await server._app.StartAsync(ct).ConfigureAwait(false);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private bool Authorized(HttpContext http)
    {
        if (http.Request.Query.TryGetValue("token", out var query) && Matches(query.ToString()))
        {
            http.Response.Cookies.Append(CookieName, Token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
            return true;
        }
        return http.Request.Cookies.TryGetValue(CookieName, out var cookie) && Matches(cookie)
            || http.Request.Headers.TryGetValue("X-Cairn-Token", out var header) && Matches(header.ToString());
    }

    private bool Matches(string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(given), _token);

    private static IResult Asset(string name, string type)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Cairn.Cli.Gui.wwwroot." + name)
            ?? throw new InvalidOperationException($"the page's {name} is not in the binary");
        using var reader = new StreamReader(stream);
        return Results.Text(reader.ReadToEnd(), type);
    }

    /// <summary>Reads an action from the request and answers it; a mistake is a 400 with the CLI's own words.</summary>
    private static async Task<IResult> Answer(HttpContext http, Func<GuiAction, Task<IResult>> handle)
    {
        GuiAction? action;
        try
        {
            action = await JsonSerializer.DeserializeAsync(http.Request.Body, GuiJsonContext.Default.GuiAction, http.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return Results.BadRequest($"cairn ui: not an action: {e.Message}\n");
        }
        if (action is null)
            return Results.BadRequest("cairn ui: no action\n");
        try
        {
            return await handle(action).ConfigureAwait(false);
        }
        catch (CairnException e)
        {
            return Results.BadRequest($"cairn: {e.Message}\n");
        }
    }

    /// <summary>A snapshot or a path in it as a tar (pax) or zip download, streamed as it is made.</summary>
    private async Task DownloadAsync(HttpContext http, string repository, string target, string format)
    {
        if (format is not ("pax" or "zip"))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var name = target.Split(':', 2) is [_, var path] && path.Trim('/').Length > 0 ? Path.GetFileName(path.TrimEnd('/')) : target.Split(':')[0];
        var fileName = name + (format == "zip" ? ".zip" : ".tar");
        http.Response.ContentType = format == "zip" ? "application/zip" : "application/x-tar";
        http.Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = fileName }.ToString();
        try
        {
            var (code, error) = await _commands.DownloadAsync(repository, target, format, fileName, http.Response.Body, http.RequestAborted).ConfigureAwait(false);
            if (code != 0 && !http.Response.HasStarted)
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                http.Response.ContentType = "text/plain; charset=utf-8";
                http.Response.Headers.ContentDisposition = default;
                await http.Response.WriteAsync(error, http.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (CairnException e) when (!http.Response.HasStarted)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync($"cairn: {e.Message}\n", http.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Server-sent events of a running action: "progress" with its progress line whenever it changes (four times a
    /// second at most), then "done" with its result.
    /// </summary>
    private async Task FollowAsync(HttpContext http, string id)
    {
        if (_commands.Find(id) is not { } task)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var ct = http.RequestAborted;
        var last = "";
        try
        {
            while (!task.Done.IsCompleted)
            {
                if (task.Progress != last)
                {
                    last = task.Progress;
                    await http.Response.WriteAsync($"event: progress\ndata: {last}\n\n", ct).ConfigureAwait(false);
                    await http.Response.Body.FlushAsync(ct).ConfigureAwait(false);
                }
                await Task.WhenAny(task.Done, Task.Delay(250, ct)).ConfigureAwait(false);
            }
            var result = JsonSerializer.Serialize(await task.Done.ConfigureAwait(false), GuiJsonContext.Default.GuiActionResult);
            await http.Response.WriteAsync($"event: done\ndata: {result}\n\n", ct).ConfigureAwait(false);
            await http.Response.Body.FlushAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // the page went away; the action goes on
        }
    }

    /// <summary>
    /// Server-sent events: "snapshots" with a fingerprint of the repository's snapshot list, at once and whenever the
    /// list changes (checked every two seconds by listing the store: no key is needed, and nothing is decrypted).
    /// </summary>
    private async Task WatchAsync(HttpContext http, string repository, StorageSettings settings)
    {
        var target = _commands.Repositories.FirstOrDefault(r => r.Name == repository);
        if (target is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var ct = http.RequestAborted;
        string? last = null;
        try
        {
            await using var storage = RepositoryLocation.Open(target.Url, settings);
            while (!ct.IsCancellationRequested)
            {
                string fingerprint;
                try
                {
                    var names = new List<string>();
                    await foreach (var stored in storage.ListAsync(ObjectKind.Snapshot, ct).ConfigureAwait(false))
                        names.Add(stored.Name.Name);
                    names.Sort(StringComparer.Ordinal);
                    fingerprint = names.Count + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(",", names))))[..16];
                }
                catch (StorageException e)
                {
                    fingerprint = "error: " + e.Message;
                }
                if (fingerprint != last)
                {
                    last = fingerprint;
                    await http.Response.WriteAsync($"event: snapshots\ndata: {fingerprint}\n\n", ct).ConfigureAwait(false);
                    await http.Response.Body.FlushAsync(ct).ConfigureAwait(false);
                }
                await Task.Delay(TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // the page went away
        }
    }
}
