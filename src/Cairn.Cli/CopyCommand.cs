using System.CommandLine;
using Cairn.Commands;
using Cairn.Commands.Copy;
using Cairn.Core;

namespace Cairn.Cli;

/// <summary><c>cairn copy</c>.</summary>
internal static class CopyCommand
{
    /// <summary>The environment variable naming the source repository.</summary>
    public const string FromRepositoryVariable = "CAIRN_FROM_REPOSITORY";

    /// <summary>The environment variable holding the source repository's password.</summary>
    public const string FromPasswordVariable = "CAIRN_FROM_PASSWORD";

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("copy",
            "Copy snapshots from another repository (--from-repo) into this one (-r): only data this one lacks is written, and "
            + "snapshots copied before are skipped. Each repository keeps its own retention. Remote options (-o) apply to both.",
            "cairn -r sftp://backup@offsite/srv/cairn copy --from-repo /srv/backup --from-password-file ~/.cairn-local");
        var snapshots = new Argument<string[]>("SNAPSHOT") { Description = "snapshots of the source to copy (default: all)", Arity = ArgumentArity.ZeroOrMore };
        var fromRepo = new Option<string?>("--from-repo") { Description = $"the source repository (or ${FromRepositoryVariable})" };
        var fromPasswordFile = new Option<string?>("--from-password-file") { Description = "read the source's password from FILE" };
        var fromPasswordCommand = new Option<string?>("--from-password-command") { Description = "run COMMAND to get the source's password" };
        command.Arguments.Add(snapshots);
        foreach (var o in new Option[] { fromRepo, fromPasswordFile, fromPasswordCommand })
            command.Options.Add(o);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var r = ctx.Result;
            var from = r.GetValue(fromRepo) ?? Environment.GetEnvironmentVariable(FromRepositoryVariable)
                ?? throw new CairnException(ErrorKind.Usage, "no source repository given", $"use --from-repo or {FromRepositoryVariable}");
            var password = new PasswordOptions(r.GetValue(fromPasswordFile), r.GetValue(fromPasswordCommand));
            await using var source = await RepositoryOpener.OpenAsync(from, ctx.Global.Storage,
                () => PasswordResolver.Resolve(password, ctx.Prompt, "enter the source repository's password: ", FromPasswordVariable), ctx.Notice, ct).ConfigureAwait(false);
            await using var target = await ctx.OpenAsync(ct).ConfigureAwait(false);
            var result = await CopyHandler.RunAsync(target, source, r.GetValue(snapshots) ?? [], ct).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(result);
            else if (!ctx.Quiet)
            {
                foreach (var c in result.Copied)
                    ctx.Out.WriteLine($"copied {c.Source[..8]} as {c.Target[..8]}  {Humanize.Time(c.Time)}  {c.Host}  {string.Join(", ", c.Paths)}");
                ctx.Out.WriteLine($"{result.Copied.Count} snapshots copied, {result.AlreadyCopied} copied before; "
                    + $"{Humanize.Count(result.BlobsAdded)} blobs ({Humanize.Bytes(result.BytesAdded)}) written"
                    + (result.SameIds ? " (shared chunker: data this repository holds was not read)" : ""));
            }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
