using System.CommandLine;
using Cairn.Commands;
using Cairn.Commands.Policies;
using Cairn.Core.Retention;

namespace Cairn.Cli;

/// <summary><c>cairn policy set|show|remove</c>.</summary>
internal static class PolicyCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("policy",
            "Keep named retention policies in the repository; 'forget --apply-policy' applies them, each to the snapshots it covers "
            + "(the most specific policy that covers a snapshot), so that a changed policy applies to existing snapshots too.",
            "cairn -r /srv/backup policy set web --host web1 --keep-daily 7 --keep-monthly 12 --destroy-after 2y");

        var set = new Command("set", "Store a policy (replacing one of the same name).");
        var name = new Argument<string>("NAME") { Description = "the policy's name: lower-case letters, digits, '-' and '_'" };
        var keep = new KeepOptions();
        var host = new Option<string[]>("--host") { Description = "cover snapshots of HOST (repeatable; none: every host)" };
        var tag = new Option<string[]>("--tag") { Description = "cover snapshots with all of TAG[,TAG] (repeatable: any of them)" };
        var path = new Option<string[]>("--path") { Description = "cover snapshots that include PATH (repeatable: all of them)" };
        var destroyAfter = new Option<string?>("--destroy-after") { Description = "remove covered snapshots this long after their time (e.g. 2y), whatever keep rules say; a hold still wins" };
        set.Arguments.Add(name);
        keep.AddTo(set);
        foreach (var o in new Option[] { host, tag, path, destroyAfter })
            set.Options.Add(o);
        set.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var r = ctx.Result;
            var policy = StoredPolicy.From(r.GetValue(name)!, keep.Parse(r), r.GetValue(host) ?? [], [.. (r.GetValue(tag) ?? []).Select(KeepOptions.TagSet)],
                r.GetValue(path) ?? [], r.GetValue(destroyAfter) is { } span ? KeepOptions.Duration("--destroy-after", span) : null);
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            await PolicyHandlers.SetAsync(repository, policy, ct).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(policy);
            else if (!ctx.Quiet)
                ctx.Out.WriteLine($"policy {policy.Name}: {Describe(policy)}");
            return ExitCodes.Ok;
        }));

        var show = new Command("show", "List the stored policies.");
        show.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            var policies = await PolicyHandlers.ShowAsync(repository, ct).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(policies);
            else
            {
                foreach (var p in policies)
                    ctx.Out.WriteLine($"{p.Name}: {Describe(p)}");
                ctx.Out.WriteLine($"{policies.Count} policies");
            }
            return ExitCodes.Ok;
        }));

        var remove = new Command("remove", "Remove a stored policy.");
        var removeName = new Argument<string>("NAME");
        remove.Arguments.Add(removeName);
        remove.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            await PolicyHandlers.RemoveAsync(repository, ctx.Result.GetValue(removeName)!, ct).ConfigureAwait(false);
            if (!ctx.Quiet)
                ctx.Out.WriteLine($"removed policy {ctx.Result.GetValue(removeName)}");
            return ExitCodes.Ok;
        }));
        foreach (var c in new[] { set, show, remove })
            command.Subcommands.Add(c);
        return command;
    }

    private static string Describe(StoredPolicy p)
    {
        var covers = new List<string>();
        if (p.Hosts.Count > 0)
            covers.Add("host " + string.Join(" or ", p.Hosts));
        if (p.Tags.Count > 0)
            covers.Add("tags " + string.Join(" or ", p.Tags.Select(t => string.Join(",", t))));
        if (p.Paths.Count > 0)
            covers.Add("paths " + string.Join(" and ", p.Paths));
        var rules = p.ToRetentionPolicy();
        return (covers.Count == 0 ? "every snapshot" : string.Join("; ", covers)) + ": keep " + (rules.IsEmpty ? "all" : rules.Describe())
            + (p.DestroyAfter is { } d ? $"; destroy after {d}" : "");
    }
}
