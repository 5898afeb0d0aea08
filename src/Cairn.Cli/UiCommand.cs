using System.CommandLine;
using System.Net;
using Cairn.Cli.Gui;
using Cairn.Commands;
using Cairn.Core;

namespace Cairn.Cli;

/// <summary><c>cairn ui</c>: the web GUI, served by this binary.</summary>
internal static class UiCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("ui",
            "Serve the web GUI on this machine and print its address with a random access token; nothing is served without it. "
            + "Every action in the GUI is a cairn command line, shown before it runs and appended to the action log.",
            "cairn -r /srv/backup ui --listen 127.0.0.1:8765");
        var listen = new Option<string>("--listen") { Description = "ADDRESS:PORT to listen on (default 127.0.0.1:0, a free port)", DefaultValueFactory = _ => "127.0.0.1:0" };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "serve HTTPS with this PEM certificate (with --tls-key)" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "the PEM private key of --tls-cert" };
        var selfSigned = new Option<bool>("--tls-self-signed") { Description = "serve HTTPS with a self-signed certificate kept in ~/.local/state/cairn (its fingerprint is printed)" };
        var actionLog = new Option<string?>("--action-log") { Description = "append every action's command line to FILE (default ~/.local/state/cairn/actions.log)" };
        foreach (var o in new Option[] { listen, tlsCert, tlsKey, selfSigned, actionLog })
            command.Options.Add(o);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var r = ctx.Result;
            if (!IPEndPoint.TryParse(r.GetValue(listen)!, out var endpoint))
                throw new CairnException(ErrorKind.Usage, $"invalid --listen '{r.GetValue(listen)}'", "give ADDRESS:PORT, e.g. 127.0.0.1:8765");
            var configuration = ctx.Configuration;
            var repositories = new List<GuiRepository>();
            var global = ctx.Global;
            if (global.ResolvedRepository is { } url)
                repositories.Add(new GuiRepository("default", url, [.. (global with { Repository = url }).ToArguments()]));
            var config = configuration.File is { } file ? new[] { CommandLine.Option("--config", file) } : [];
            repositories.AddRange(configuration.Repositories.Values.Select(d => new GuiRepository(d.Name, d.Url, [.. d.ToArguments(), .. config])));
            var defaultLog = GuiCommands.DefaultActionLog();
            var certificate = ServeCommand.Certificate(r.GetValue(tlsCert), r.GetValue(tlsKey), r.GetValue(selfSigned), Path.GetDirectoryName(defaultLog)!, endpoint);
            var commands = new GuiCommands(repositories, r.GetValue(actionLog) ?? defaultLog, config);
            await using var server = await GuiServer.StartAsync(endpoint, certificate, commands, global.Storage ?? StorageSettings.Default, ct).ConfigureAwait(false);
            ctx.Out.WriteLine($"Cairn GUI: {server.Address}/?token={server.Token}"
                + (certificate is null ? "" : $"  (certificate SHA-256 fingerprint {Server.ServerCertificate.Fingerprint(certificate)})"));
            ctx.Out.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // SIGINT or SIGTERM: stop serving
            }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
