using System.CommandLine;
using Cairn.Commands;
using Cairn.Commands.Forget;

namespace Cairn.Cli;

/// <summary><c>cairn forget</c>.</summary>
internal static class ForgetCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("forget",
            "Remove snapshots from the repository. The data they refer to stays in the repository until it is pruned.",
            "cairn -r /srv/backup forget 3f2a9c1d 8e01bb42");
        var snapshots = new Argument<string[]>("SNAPSHOT") { Description = "snapshot IDs, unique prefixes or 'latest'", Arity = ArgumentArity.OneOrMore };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "show what would be removed; remove nothing" };
        command.Arguments.Add(snapshots);
        command.Options.Add(dryRun);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var options = new ForgetOptions { Snapshots = ctx.Result.GetValue(snapshots) ?? [], DryRun = ctx.Result.GetValue(dryRun) };
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            var result = await ForgetHandler.RunAsync(repository, options, ct).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(result);
            else if (!ctx.Quiet)
            {
                foreach (var s in result.Removed)
                    ctx.Out.WriteLine($"{(result.DryRun ? "would remove" : "removed")} snapshot {s.ShortId}  {Humanize.Time(s.Time)}  {s.Host}  {string.Join(", ", s.Paths)}");
            }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
