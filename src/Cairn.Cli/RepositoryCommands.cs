using System.CommandLine;
using System.Globalization;
using System.Text;
using Cairn.Commands;
using Cairn.Commands.Check;
using Cairn.Commands.Init;
using Cairn.Commands.Keys;
using Cairn.Core;
using Cairn.Core.Check;
using Cairn.Core.Crypto;
using Cairn.Core.Format;

namespace Cairn.Cli;

/// <summary><c>init</c>, <c>check</c>, <c>key</c> and <c>unlock</c>.</summary>
internal static class RepositoryCommands
{
    public static Command Init(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("init", "Create a new repository.", "CAIRN_PASSWORD=secret cairn -r /srv/backup init");
        var chunkSizes = new Option<string?>("--chunk-sizes") { Description = "MIN/AVG/MAX chunk sizes in bytes (default 524288/1048576/8388608)" };
        var compression = new Option<string>("--compression") { Description = "default compression: off|auto|fastest|default|max|1-22", DefaultValueFactory = _ => "auto" };
        var noEncryption = new Option<bool>("--no-encryption") { Description = "store data unencrypted but still authenticated (integrity is always checked)" };
        var kdfMemory = new Option<int?>("--kdf-memory") { Description = "Argon2id memory in KiB for the first key (default 65536)" };
        var copyChunkerParams = new Option<bool>("--copy-chunker-params") { Description = "chunk and name blobs as the --from-repo repository does, so that 'copy' between them deduplicates" };
        var from = new SourceRepositoryOptions();
        foreach (var o in new Option[] { chunkSizes, compression, noEncryption, kdfMemory, copyChunkerParams })
            command.Options.Add(o);
        from.AddTo(command);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var r = ctx.Result;
            var chunker = ChunkerParameters.Default;
            if (r.GetValue(chunkSizes) is { } text)
            {
                var parts = text.Split('/');
                if (parts.Length != 3 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                    throw new CairnException(ErrorKind.Usage, $"invalid --chunk-sizes '{text}'", "use MIN/AVG/MAX in bytes");
                chunker = new ChunkerParameters(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
                try
                {
                    chunker.Validate();
                }
                catch (ArgumentException e)
                {
                    throw new CairnException(ErrorKind.Usage, e.Message);
                }
            }
            var kdf = r.GetValue(kdfMemory) is { } memory ? KdfParameters.Default with { MemoryKiB = memory } : KdfParameters.Default;
            if (!kdf.IsAcceptable)
                throw new CairnException(ErrorKind.Usage, $"--kdf-memory must be at least {KdfParameters.Minimum.MemoryKiB} KiB");
            if (r.GetValue(copyChunkerParams) && r.GetValue(chunkSizes) is not null)
                throw new CairnException(ErrorKind.Usage, "--chunk-sizes and --copy-chunker-params exclude each other");
            await using var source = r.GetValue(copyChunkerParams) ? await from.OpenAsync(ctx, ct).ConfigureAwait(false) : null;
            var options = new InitOptions
            {
                Chunker = chunker,
                Compression = r.GetValue(compression) ?? "auto",
                Encrypt = !r.GetValue(noEncryption),
                Kdf = kdf,
                CopyChunkerParamsFrom = source,
            };
            InitResult result;
            try
            {
                result = await InitHandler.RunAsync(ctx.Global, options, ctx.Prompt, ct, ctx.Notice).ConfigureAwait(false);
            }
            catch (FormatException e)
            {
                throw new CairnException(ErrorKind.Usage, e.Message);
            }
            if (ctx.Json)
                ctx.WriteJson(result);
            else if (!ctx.Quiet)
                ctx.Out.WriteLine($"created repository {result.Id[..10]} at {result.Location}\n\nKeep the password safe: without it the data cannot be read by anyone, including you.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Check(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("check", "Verify the repository: indexes, pack headers, snapshots and trees; with --read-data every blob's content too.",
            "cairn -r /srv/backup check --read-data-subset 10%");
        var readData = new Option<bool>("--read-data") { Description = "read and verify every pack completely" };
        var subset = new Option<string?>("--read-data-subset") { Description = "read and verify a random N% of the packs, or part N/M of them (M runs with N = 1..M read every pack once)" };
        command.Options.Add(readData);
        command.Options.Add(subset);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            var r = ctx.Result;
            var options = new CheckOptions(r.GetValue(readData) ? 100 : 0);
            if (r.GetValue(subset) is { } s)
                options = ParseSubset(s);
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            var result = await CheckHandler.RunAsync(repository, options, ct).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(result);
            else
            {
                foreach (var w in result.Warnings)
                    ctx.Error.WriteLine($"warning: {w.Object}: {w.Message}");
                foreach (var e in result.Errors)
                    ctx.Out.WriteLine($"error: {e.Object}: {e.Message}");
                foreach (var f in result.AffectedFiles)
                    ctx.Out.WriteLine($"affected: snapshot {f.Snapshot}: {f.Path}");
                if (!ctx.Quiet || !result.IsHealthy)
                    ctx.Out.WriteLine($"checked {result.Snapshots} snapshots, {result.Packs} packs ({result.PacksRead} read completely), {Humanize.Count(result.Blobs)} blobs: "
                    + (result.IsHealthy ? "no errors" : $"{result.Errors.Count} errors"));
                if (!ctx.Quiet && result.UnusedBlobs > 0)
                    ctx.Out.WriteLine($"unused: {Humanize.Count(result.UnusedBlobs)} blobs, {Humanize.Bytes(result.UnusedBytes)} that no snapshot refers to"
                        + (result.UnusedPacks > 0 ? $" ({result.UnusedPacks} packs hold nothing else)" : ""));
                if (!ctx.Quiet && result.OrphanedPacks > 0)
                    ctx.Out.WriteLine($"orphaned: {result.OrphanedPacks} packs, {Humanize.Bytes(result.OrphanedBytes)} in no index (the next backup indexes them)");
                if (!ctx.Quiet && result.PacksAwaitingDeletion > 0)
                    ctx.Out.WriteLine($"awaiting deletion: {result.PacksAwaitingDeletion} packs, {Humanize.Bytes(result.BytesAwaitingDeletion)} that prune took out of the index (the next prune deletes them)");
            }
            return result.IsHealthy ? ExitCodes.Ok : ExitCodes.Damaged;
        }));
        return command;
    }

    private static CheckOptions ParseSubset(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            if (int.TryParse(text[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var part)
                && int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var of) && of >= 1 && part >= 1 && part <= of)
                return new CheckOptions(ReadDataSlice: (part, of));
        }
        else if (double.TryParse(text.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent > 0 && percent <= 100)
            return new CheckOptions(percent);
        throw new CairnException(ErrorKind.Usage, $"invalid --read-data-subset '{text}'", "use a percentage such as 10%, or a part such as 2/5");
    }

    public static Command Key(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("key", "Manage the passwords (keys) that open the repository.", "cairn -r /srv/backup key add --new-password-file ~/.pw2");
        var newPasswordFile = new Option<string?>("--new-password-file") { Description = "read the new password from FILE", Recursive = true };
        command.Options.Add(newPasswordFile);

        var list = new Command("list", "List keys.");
        list.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            var keys = await KeyHandlers.ListAsync(repository, ct).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(keys);
            else
            {
                foreach (var k in keys)
                    ctx.Out.WriteLine($"{(k.Current ? "*" : " ")} {k.Id[..8]}  {Humanize.Time(k.Created)}  {k.Username}@{k.Host}");
            }
            return ExitCodes.Ok;
        }));

        var add = new Command("add", "Add a key with a new password.");
        add.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            var current = PasswordResolver.Resolve(ctx.Global.Password, ctx.Prompt);
            var id = await KeyHandlers.AddAsync(repository, current, NewPassword(ctx, ctx.Result.GetValue(newPasswordFile)), KdfParameters.Default, ct).ConfigureAwait(false);
            ctx.Out.WriteLine(ctx.Json ? $"{{\"id\":\"{id}\"}}" : $"added key {id[..8]}");
            return ExitCodes.Ok;
        }));

        var remove = new Command("remove", "Remove a key.");
        var keyId = new Argument<string>("ID");
        remove.Arguments.Add(keyId);
        remove.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            await KeyHandlers.RemoveAsync(repository, ctx.Result.GetValue(keyId)!, ct).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(new Json.RemovedKeyReport(ctx.Result.GetValue(keyId)));
            else if (!ctx.Quiet)
                ctx.Out.WriteLine("removed key");
            return ExitCodes.Ok;
        }));

        var passwd = new Command("passwd", "Change the password of the key in use.");
        passwd.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            var current = PasswordResolver.Resolve(ctx.Global.Password, ctx.Prompt);
            var id = await KeyHandlers.ChangePasswordAsync(repository, current, NewPassword(ctx, ctx.Result.GetValue(newPasswordFile)), KdfParameters.Default, ct).ConfigureAwait(false);
            if (!ctx.Quiet)
                ctx.Out.WriteLine($"password changed (new key {id[..8]})");
            return ExitCodes.Ok;
        }));
        foreach (var c in new[] { list, add, remove, passwd })
            command.Subcommands.Add(c);
        return command;
    }

    public static Command Unlock(Func<ParseResult, CliContext> context)
    {
        var command = CliApp.NewCommand("unlock", "Remove stale locks left by processes that are gone.", "cairn -r /srv/backup unlock");
        var all = new Option<bool>("--remove-all") { Description = "remove every lock, also those of running processes" };
        command.Options.Add(all);
        command.SetAction(CliApp.Guard(context, async (ctx, ct) =>
        {
            await using var repository = await ctx.OpenAsync(ct).ConfigureAwait(false);
            var removed = await KeyHandlers.UnlockAsync(repository, ctx.Result.GetValue(all), ct).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(new Json.RemovedLocksReport(removed));
            else if (!ctx.Quiet)
                ctx.Out.WriteLine($"removed {removed} locks");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static byte[] NewPassword(CliContext ctx, string? file)
    {
        if (file is not null)
            return PasswordResolver.Resolve(new PasswordOptions(File: file), ctx.Prompt);
        if (!ctx.Prompt.CanPrompt)
            throw new CairnException(ErrorKind.Usage, "no new password given", "use --new-password-file");
        var first = ctx.Prompt.Ask("enter the new password: ");
        if (first != ctx.Prompt.Ask("enter it again: "))
            throw new CairnException(ErrorKind.InvalidInput, "the passwords do not match");
        return Encoding.UTF8.GetBytes(first);
    }
}
