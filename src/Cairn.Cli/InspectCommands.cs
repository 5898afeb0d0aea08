using System.CommandLine;
using System.Globalization;
using Cairn.Commands;
using Cairn.Commands.Inspect;

namespace Cairn.Cli;

/// <summary><c>snapshots</c>, <c>ls</c>, <c>find</c>, <c>diff</c>, <c>stats</c> and <c>cat</c>.</summary>
internal static class InspectCommands
{
    public static Command Snapshots(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("snapshots", "List snapshots, oldest first.", "cairn -r /srv/backup snapshots --host web1");
        var host = new Option<string?>("--host") { Description = "only snapshots of HOST" };
        var tag = new Option<string?>("--tag") { Description = "only snapshots with TAG" };
        command.Options.Add(host);
        command.Options.Add(tag);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            var damaged = 0;
            var list = await InspectHandlers.SnapshotsAsync(repository, ctx.Result.GetValue(host), ctx.Result.GetValue(tag), (name, message) =>
            {
                damaged++;
                ctx.Error.WriteLine($"warning: {name}: {message}");
            }, ct).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(list);
            else
            {
                ctx.Out.WriteLine($"{"ID",-8}  {"Time",-19}  {"Host",-16}  {"Tags",-12}  {"Size",10}  Paths");
                foreach (var s in list)
                    ctx.Out.WriteLine($"{s.ShortId,-8}  {Humanize.Time(s.Time),-19}  {s.Host,-16}  {string.Join(',', s.Tags),-12}  {Humanize.Bytes(s.Summary.TotalBytes),10}  {string.Join(' ', s.Paths)}{Marks(s)}");
                ctx.Out.WriteLine($"{list.Count} snapshots");
            }
            return damaged > 0 ? ExitCodes.Damaged : ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>What the snapshot list says after the paths: holds, destroy-by dates, repairs.</summary>
    private static string Marks(Cairn.Commands.Inspect.SnapshotInfo s)
    {
        var marks = new List<string>();
        if (s.HeldUntil is { } held)
            marks.Add($"held until {Humanize.Time(held)}" + (s.HoldReason is { } reason ? $" ({reason})" : ""));
        if (s.DestroyAfter is { } destroy)
            marks.Add($"destroy after {Humanize.Time(destroy)}");
        if (s.Lost is { Count: > 0 } lost)
            marks.Add($"repaired, {lost.Count} lost");
        return marks.Count == 0 ? "" : "  [" + string.Join("; ", marks) + "]";
    }

    public static Command Ls(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("ls", "List the files in a snapshot, everything below PATH if given (recursively, as restic does; --no-recursive for one level).", "cairn -r /srv/backup ls --long latest /home/me");
        var snapshot = new Argument<string>("SNAPSHOT") { Description = "snapshot ID, unique prefix or 'latest'" };
        var path = new Argument<string>("PATH") { Description = "directory or file in the snapshot", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "/" };
        var longFormat = new Option<bool>("--long", "-l") { Description = "show mode, owner, size and time" };
        var flat = new Option<bool>("--no-recursive") { Description = "list only the entries directly in PATH" };
        command.Arguments.Add(snapshot);
        command.Arguments.Add(path);
        command.Options.Add(longFormat);
        command.Options.Add(flat);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var r = ctx.Result;
            var p = r.GetValue(path) ?? "/";
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            var entries = await InspectHandlers.LsAsync(repository, r.GetValue(snapshot)!, p, !r.GetValue(flat), ct).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(entries);
            else
            {
                foreach (var e in entries)
                    ctx.Out.WriteLine(r.GetValue(longFormat) ? Long(e) : e.Path);
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Find(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("find", "Find files matching PATTERN in every snapshot.", "cairn -r /srv/backup find '*.pdf'");
        var pattern = new Argument<string>("PATTERN") { Description = "a glob: '*.pdf', '/home/*/notes', '**/src/*.cs'" };
        command.Arguments.Add(pattern);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            var found = await InspectHandlers.FindAsync(repository, ctx.Result.GetValue(pattern)!, ct).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(found);
            else
            {
                foreach (var e in found)
                    ctx.Out.WriteLine($"{e.Snapshot}  {Long(e)}");
                ctx.Out.WriteLine($"{found.Count} matches");
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Diff(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("diff", "Show what changed between two snapshots: + added, - removed, M content changed, U metadata changed, T type changed.",
            "cairn -r /srv/backup diff 3f2a9c1d latest");
        var first = new Argument<string>("SNAPSHOT1");
        var second = new Argument<string>("SNAPSHOT2");
        command.Arguments.Add(first);
        command.Arguments.Add(second);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            var diff = await InspectHandlers.DiffAsync(repository, ctx.Result.GetValue(first)!, ctx.Result.GetValue(second)!, ct).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(diff);
            else
            {
                foreach (var d in diff)
                    ctx.Out.WriteLine($"{d.Change}  {d.Path}");
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Stats(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("stats", "Show how much the repository stores and how well it deduplicates and compresses; with SNAPSHOT, what that snapshot holds (files, hard-link groups, sparse files, attributes).",
            "cairn -r /srv/backup stats --json");
        var snapshot = new Argument<string?>("SNAPSHOT") { Description = "a snapshot ID, unique prefix or 'latest' (optional)", Arity = ArgumentArity.ZeroOrOne };
        command.Arguments.Add(snapshot);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            if (ctx.Result.GetValue(snapshot) is { } snapshotText)
            {
                var c = await StatsHandler.SnapshotAsync(repository, snapshotText, ct).ConfigureAwait(false);
                if (ctx.Json)
                    ctx.WriteJson(c);
                else
                {
                    ctx.Out.WriteLine($"Snapshot:         {c.Snapshot}");
                    ctx.Out.WriteLine($"Entries:          {Humanize.Count(c.Entries)} ({Humanize.Count(c.Files)} files, {Humanize.Bytes(c.Bytes)})");
                    ctx.Out.WriteLine($"Hard-link groups: {Humanize.Count(c.HardLinkGroups)} ({Humanize.Count(c.HardLinkNames)} names)");
                    ctx.Out.WriteLine($"Sparse files:     {Humanize.Count(c.SparseFiles)}");
                    ctx.Out.WriteLine($"With xattrs/ACLs: {Humanize.Count(c.EntriesWithXattrs)} / {Humanize.Count(c.EntriesWithAcls)}");
                    if (c.ChangedDuringBackup > 0)
                        ctx.Out.WriteLine($"Changed while read: {Humanize.Count(c.ChangedDuringBackup)}");
                }
                return ExitCodes.Ok;
            }
            var s = await StatsHandler.RunAsync(repository, ct).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(s);
            else
            {
                ctx.Out.WriteLine($"Snapshots:        {Humanize.Count(s.Snapshots)}");
                ctx.Out.WriteLine($"Files in them:    {Humanize.Count(s.TotalFiles)} entries, {Humanize.Bytes(s.TotalFileBytes)}");
                ctx.Out.WriteLine($"Unique data:      {Humanize.Bytes(s.RawBytes)} in {Humanize.Count(s.Blobs)} blobs ({Humanize.Count(s.DataBlobs)} data, {Humanize.Count(s.TreeBlobs)} trees)");
                ctx.Out.WriteLine($"Stored:           {Humanize.Bytes(s.StoredBytes)} in {Humanize.Count(s.Packs)} packs (ratio {s.CompressionRatio.ToString("0.00", CultureInfo.InvariantCulture)})");
                ctx.Out.WriteLine($"Index in memory:  {Humanize.Bytes(s.IndexMemoryBytes)} ({s.IndexBytesPerBlob.ToString("0", CultureInfo.InvariantCulture)} bytes per blob)");
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Cat(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("cat", "Print a repository object for debugging: config, snapshot ID, tree ID, blob ID, key ID or pack ID.",
            "cairn -r /srv/backup cat snapshot latest");
        var what = new Argument<string>("TYPE") { Description = "config, snapshot, tree, blob, key or pack" };
        var id = new Argument<string?>("ID") { Arity = ArgumentArity.ZeroOrOne };
        command.Arguments.Add(what);
        command.Arguments.Add(id);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            var bytes = await CatHandler.RunAsync(repository, ctx.Result.GetValue(what)!, ctx.Result.GetValue(id), ct).ConfigureAwait(false);
            await ctx.Out.FlushAsync(ct).ConfigureAwait(false);
            if (ReferenceEquals(ctx.Out, Console.Out))
            {
                using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(bytes, ct).ConfigureAwait(false);
            }
            else
                ctx.Out.Write(System.Text.Encoding.UTF8.GetString(bytes));
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>
    /// One line like <c>ls -l</c> (a '+' after the mode marks an ACL, as there), then the ACLs and the names of other
    /// extended attributes when there are any.
    /// </summary>
    private static string Long(EntryInfo e) =>
        $"{TypeChar(e.Type)}{ModeString(e.Mode)}{(e.Acl is null && e.DefaultAcl is null ? " " : "+")} {e.User ?? e.Uid.ToString(CultureInfo.InvariantCulture),-8} {e.Group ?? e.Gid.ToString(CultureInfo.InvariantCulture),-8} {e.Size,12} {Humanize.Time(e.Mtime)} {e.Path}"
        + (e.LinkTarget is null ? "" : " -> " + e.LinkTarget)
        + (e.HardLinkTo is null ? "" : " => " + e.HardLinkTo)
        + (e.Acl is null ? "" : "  acl=" + e.Acl)
        + (e.DefaultAcl is null ? "" : "  default-acl=" + e.DefaultAcl)
        + (e.Xattrs is null ? "" : "  xattrs=" + string.Join(",", e.Xattrs))
        + (e.ChangedDuringBackup == true ? "  [changed during backup]" : "");

    private static char TypeChar(string type) => type switch
    {
        "directory" => 'd', "symlink" => 'l', "fifo" => 'p', "chardevice" => 'c', "blockdevice" => 'b', "socket" => 's', _ => '-',
    };

    private static string ModeString(uint mode)
    {
        var chars = new char[9];
        const string rwx = "rwxrwxrwx";
        for (var i = 0; i < 9; i++)
            chars[i] = (mode & (1u << (8 - i))) != 0 ? rwx[i] : '-';
        if ((mode & 0x800) != 0) chars[2] = chars[2] == 'x' ? 's' : 'S';
        if ((mode & 0x400) != 0) chars[5] = chars[5] == 'x' ? 's' : 'S';
        if ((mode & 0x200) != 0) chars[8] = chars[8] == 'x' ? 't' : 'T';
        return new string(chars);
    }
}
