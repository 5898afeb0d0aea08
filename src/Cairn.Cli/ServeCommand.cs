using System.CommandLine;
using System.Net;
using Cairn.Commands;
using Cairn.Core;
using Cairn.Server;

namespace Cairn.Cli;

/// <summary><c>cairn serve</c> and <c>cairn serve user add|remove|list</c>.</summary>
internal static class ServeCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("serve",
            "Serve repositories to Cairn clients over HTTP or HTTPS (rest:https://USER@HOST:PORT/REPOSITORY). The server stores only "
            + "encrypted objects and never holds a key. Repositories live in ROOT/USER/REPOSITORY.",
            "cairn serve --root /srv/cairn --listen :8443 --tls-self-signed --append-only");
        var root = new Option<string>("--root") { Description = "directory holding the repositories", Required = true, Recursive = true };
        var users = new Option<string?>("--users") { Description = "users file (default ROOT/.cairn-server/users.json)", Recursive = true };
        var listen = new Option<string>("--listen") { Description = "ADDRESS:PORT to listen on; ':PORT' for every address (default :8000)", DefaultValueFactory = _ => ":8000" };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "serve HTTPS with this PEM certificate (with --tls-key)" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "the PEM private key of --tls-cert" };
        var selfSigned = new Option<bool>("--tls-self-signed") { Description = "serve HTTPS with a self-signed certificate kept in ROOT/.cairn-server (clients pin its fingerprint)" };
        var appendOnly = new Option<bool>("--append-only") { Description = "no client may delete or overwrite anything (forget and prune fail)" };
        var noAuth = new Option<bool>("--no-auth") { Description = "serve without user names and passwords (every repository to every client)" };
        var log = new Option<string?>("--log") { Description = "append a line per request to FILE ('-' for standard error)" };
        command.Options.Add(root);
        command.Options.Add(users);
        foreach (var o in new Option[] { listen, tlsCert, tlsKey, selfSigned, appendOnly, noAuth, log })
            command.Options.Add(o);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var r = ctx.Result;
            var rootDir = Path.GetFullPath(r.GetValue(root)!);
            if (!Directory.Exists(rootDir))
                throw new CairnException(ErrorKind.InvalidInput, $"{rootDir} does not exist", "create it first; the server does not guess where repositories belong");
            var endpoint = ParseListen(r.GetValue(listen)!);
            var certificate = Certificate(r.GetValue(tlsCert), r.GetValue(tlsKey), r.GetValue(selfSigned), rootDir, endpoint);
            UserDatabase? database = null;
            if (!r.GetValue(noAuth))
            {
                database = UserDatabase.Load(UsersFile(r.GetValue(users), rootDir));
                if (database.Users.Count == 0)
                    throw new CairnException(ErrorKind.Usage, $"no users in {database.Path}",
                        "add one with 'cairn serve --root ROOT user add NAME', or serve without authentication with --no-auth");
            }
            TextWriter? logWriter = r.GetValue(log) switch
            {
                null => null,
                "-" => ctx.Error,
                var file => new StreamWriter(file, append: true) { AutoFlush = true },
            };
            try
            {
                await using var server = await RepositoryServer.StartAsync(new ServerOptions
                {
                    Root = rootDir,
                    Listen = endpoint,
                    Certificate = certificate,
                    Users = database,
                    AppendOnly = r.GetValue(appendOnly),
                    Log = logWriter,
                }, ct).ConfigureAwait(false);
                var scheme = certificate is null ? "http" : "https";
                ctx.Out.WriteLine($"serving {rootDir} on {scheme}://{endpoint}"
                    + (certificate is null ? "" : $", certificate SHA-256 fingerprint {ServerCertificate.Fingerprint(certificate)}")
                    + (database is null ? ", without authentication" : $", {database.Users.Count} user(s)")
                    + (r.GetValue(appendOnly) ? ", append-only" : ""));
                ctx.Out.Flush();
                try
                {
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // SIGINT or SIGTERM: stop serving and leave cleanly.
                }
                return ExitCodes.Ok;
            }
            finally
            {
                if (logWriter is StreamWriter file)
                    await file.DisposeAsync().ConfigureAwait(false);
            }
        }));
        command.Subcommands.Add(UserCommand(context, root, users));
        return command;
    }

    private static Command UserCommand(Func<ParseResult, CliContext> context, Option<string> root, Option<string?> users)
    {
        var command = new Command("user", "Manage the server's users: each sees only its own repositories unless granted more.");
        var add = new Command("add", "Add a user, or change one (the password from --password-file, --password-command, CAIRN_PASSWORD or a prompt).");
        var name = new Argument<string>("NAME");
        var appendOnly = new Option<bool>("--append-only") { Description = "the user may add but never delete or overwrite" };
        var grant = new Option<string[]>("--grant") { Description = "let the user use OWNER/REPOSITORY or OWNER/* too (repeatable)" };
        add.Arguments.Add(name);
        add.Options.Add(appendOnly);
        add.Options.Add(grant);
        add.SetAction(CliApp.Guard(context, (ctx, _) =>
        {
            var r = ctx.Result;
            var database = UserDatabase.Load(UsersFile(r.GetValue(users), Path.GetFullPath(r.GetValue(root)!)));
            var grants = r.GetValue(grant) ?? [];
            foreach (var g in grants)
            {
                var parts = g.Split('/');
                if (parts.Length != 2 || !RepositoryPath.IsValidSegment(parts[0]) || !(parts[1] == "*" || RepositoryPath.IsValidSegment(parts[1])))
                    throw new CairnException(ErrorKind.Usage, $"invalid --grant '{g}'", "use OWNER/REPOSITORY or OWNER/*");
            }
            var password = System.Text.Encoding.UTF8.GetString(PasswordResolver.Resolve(ctx.Global.Password, ctx.Prompt, $"password for {r.GetValue(name)}: "));
            if (password.Length == 0)
                throw new CairnException(ErrorKind.InvalidInput, "an empty password is not allowed");
            try
            {
                database.Put(new ServerUser(r.GetValue(name)!, PasswordHash.Create(password), r.GetValue(appendOnly), grants));
            }
            catch (ArgumentException e)
            {
                throw new CairnException(ErrorKind.Usage, e.Message.Split(" (Parameter")[0]);
            }
            if (!ctx.Quiet)
                ctx.Out.WriteLine($"user {r.GetValue(name)} saved in {database.Path}");
            return Task.FromResult(ExitCodes.Ok);
        }));

        var remove = new Command("remove", "Remove a user (its repositories stay).");
        var removeName = new Argument<string>("NAME");
        remove.Arguments.Add(removeName);
        remove.SetAction(CliApp.Guard(context, (ctx, _) =>
        {
            var r = ctx.Result;
            var database = UserDatabase.Load(UsersFile(r.GetValue(users), Path.GetFullPath(r.GetValue(root)!)));
            if (!database.Remove(r.GetValue(removeName)!))
                throw new CairnException(ErrorKind.InvalidInput, $"no user {r.GetValue(removeName)} in {database.Path}");
            if (!ctx.Quiet)
                ctx.Out.WriteLine($"user {r.GetValue(removeName)} removed");
            return Task.FromResult(ExitCodes.Ok);
        }));

        var list = new Command("list", "List the users.");
        list.SetAction(CliApp.Guard(context, (ctx, _) =>
        {
            var r = ctx.Result;
            var database = UserDatabase.Load(UsersFile(r.GetValue(users), Path.GetFullPath(r.GetValue(root)!)));
            if (ctx.Json)
                ctx.WriteJson(database.Users.Select(u => new Json.ServerUserListing(u.Name, u.AppendOnly, u.Grants)).ToList());
            else
            {
                foreach (var u in database.Users)
                    ctx.Out.WriteLine($"{u.Name}{(u.AppendOnly ? "  append-only" : "")}{(u.Grants.Count > 0 ? "  grants " + string.Join(", ", u.Grants) : "")}");
            }
            return Task.FromResult(ExitCodes.Ok);
        }));
        foreach (var c in new[] { add, remove, list })
            command.Subcommands.Add(c);
        return command;
    }

    private static string UsersFile(string? given, string root) => given ?? Path.Combine(root, ".cairn-server", "users.json");

    private static IPEndPoint ParseListen(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 0 or > 65535)
            throw new CairnException(ErrorKind.Usage, $"invalid --listen '{text}'", "use ADDRESS:PORT, e.g. 0.0.0.0:8443 or :443");
        var host = text[..colon].Trim('[', ']');
        if (host.Length == 0)
            return new IPEndPoint(IPAddress.IPv6Any, port);
        if (host == "localhost")
            return new IPEndPoint(IPAddress.Loopback, port);
        if (!IPAddress.TryParse(host, out var address))
            throw new CairnException(ErrorKind.Usage, $"invalid --listen address '{host}'", "give an IP address, or ':PORT' for every address");
        return new IPEndPoint(address, port);
    }

    internal static System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate(string? cert, string? key, bool selfSigned, string root, IPEndPoint endpoint)
    {
        if (selfSigned && (cert is not null || key is not null))
            throw new CairnException(ErrorKind.Usage, "--tls-self-signed and --tls-cert/--tls-key exclude each other");
        if ((cert is null) != (key is null))
            throw new CairnException(ErrorKind.Usage, "--tls-cert and --tls-key go together");
        if (cert is not null)
        {
            try
            {
                return ServerCertificate.FromPem(cert, key!);
            }
            catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
            {
                throw new CairnException(ErrorKind.InvalidInput, $"cannot use certificate {cert} with key {key}: {e.Message}");
            }
        }
        if (!selfSigned)
            return null;
        var names = new List<string> { Environment.MachineName };
        if (!endpoint.Address.Equals(IPAddress.IPv6Any) && !endpoint.Address.Equals(IPAddress.Any))
            names.Add(endpoint.Address.ToString());
        names.Add("127.0.0.1");
        return ServerCertificate.SelfSigned(Path.Combine(root, ".cairn-server", "tls.pfx"), names);
    }
}
