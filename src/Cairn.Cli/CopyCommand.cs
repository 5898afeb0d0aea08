using System.CommandLine;
using Cairn.Commands;
using Cairn.Commands.Copy;

namespace Cairn.Cli;

/// <summary><c>cairn copy</c>.</summary>
internal static class CopyCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("copy",
            "Copy snapshots from another repository (--from-repo) into this one (-r): only data this one lacks is written, and "
            + "snapshots copied before are skipped. Each repository keeps its own retention. Remote options (-o) apply to both.",
            "cairn -r sftp://backup@offsite/srv/cairn copy --from-repo /srv/backup --from-password-file ~/.cairn-local");
        var snapshots = new Argument<string[]>("SNAPSHOT") { Description = "snapshots of the source to copy (default: all)", Arity = ArgumentArity.ZeroOrMore };
        var from = new SourceRepositoryOptions();
        command.Arguments.Add(snapshots);
        from.AddTo(command);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var r = ctx.Result;
            await using var source = await from.OpenAsync(ctx, ct).ConfigureAwait(false);
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
