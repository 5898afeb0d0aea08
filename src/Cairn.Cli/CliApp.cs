using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Cairn.Commands;
using Cairn.Core;

namespace Cairn.Cli;

/// <summary>Builds the command tree and runs one command line, mapping every failure to a message and an exit code.</summary>
public static class CliApp
{
    /// <summary>Runs <paramref name="args"/>; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) => RunAsync(args, output, error, null, CancellationToken.None);

    /// <summary>
    /// Runs <paramref name="args"/> with <paramref name="progress"/> following long commands' progress lines, stopping
    /// cleanly when <paramref name="ct"/> is cancelled as on SIGINT, binary output for "-" going to
    /// <paramref name="standardOutput"/> when given; returns the exit code.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Action<string>? progress, CancellationToken ct,
        Stream? standardOutput = null)
    {
        var globals = new GlobalCliOptions();
        var root = new RootCommand("Cairn: fast, encrypted, deduplicated backups that keep every bit of metadata.\n\n"
            + "Example:\n  cairn -r /srv/backup init\n  cairn -r /srv/backup backup ~/documents\n  cairn -r /srv/backup snapshots");
        globals.AddTo(root);
        Func<ParseResult, CliContext> context = r => new CliContext(r, globals, output, error, progress, standardOutput);
        foreach (var command in new[]
        {
            RepositoryCommands.Init(context),
            BackupCommand.Create(context),
            InspectCommands.Snapshots(context),
            InspectCommands.Ls(context),
            InspectCommands.Find(context),
            InspectCommands.Diff(context),
            InspectCommands.Stats(context),
            RestoreCommand.Create(context),
            RepositoryCommands.Check(context),
            ForgetCommand.Create(context),
            PruneCommand.Create(context),
            RepairCommand.Create(context),
            HoldCommand.Create(context),
            PolicyCommand.Create(context),
            CopyCommand.Create(context),
            ExportCommand.Create(context),
            ImportCommand.Create(context),
            JobCommands.Run(context),
            JobCommands.List(context),
            JobCommands.Daemon(context),
            JobEditCommand.Create(context),
            UiCommand.Create(context),
            InspectCommands.Cat(context),
            RepositoryCommands.Key(context),
            RepositoryCommands.Unlock(context),
            ServeCommand.Create(context),
        })
            root.Subcommands.Add(command);

        // No response files: an argument starting with '@' is a value (a schedule such as "@daily", a path).
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors)
                error.WriteLine($"cairn: {e.Message}");
            error.WriteLine("run 'cairn --help' for usage");
            return ExitCodes.Usage;
        }
        // The first SIGINT or SIGTERM cancels the running command, which then stops cleanly (locks released,
        // nothing half-published); a second one ends the process at once.
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(ct);
        void OnSignal(PosixSignalContext signal)
        {
            signal.Cancel = !interrupted.IsCancellationRequested;
            interrupted.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            var configuration = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };
            return await parsed.InvokeAsync(configuration, interrupted.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return Report(e, error);
        }
    }

    /// <summary>Prints one line for a failure and returns its exit code.</summary>
    internal static int Report(Exception e, TextWriter error)
    {
        var translated = ErrorTranslator.Translate(e);
        if (translated is null)
        {
            error.WriteLine($"cairn: internal error: {e.GetType().Name}: {e.Message} (please report this with the output of the command run with CAIRN_DEBUG=1)");
            if (Environment.GetEnvironmentVariable("CAIRN_DEBUG") == "1")
                error.WriteLine(e);
            return ExitCodes.Failed;
        }
        error.WriteLine(translated.Hint is null ? $"cairn: {translated.Message}" : $"cairn: {translated.Message} ({translated.Hint})");
        return ExitCodes.For(translated.Kind);
    }

    /// <summary>Wraps an action so that its failures are reported the same way everywhere.</summary>
    internal static Func<ParseResult, CancellationToken, Task<int>> Guard(Func<ParseResult, CliContext> context, Func<CliContext, CancellationToken, Task<int>> action) =>
        async (result, ct) =>
        {
            var ctx = context(result);
            try
            {
                return await action(ctx, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || ct.IsCancellationRequested)
            {
                return Report(e, ctx.Error);
            }
        };

    /// <summary>The value of a <c>--time</c> option (ISO 8601, local time unless it says otherwise), or null when not given.</summary>
    internal static DateTimeOffset? SnapshotTime(string? value)
    {
        if (value is null)
            return null;
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var parsed))
            throw new CairnException(ErrorKind.Usage, $"invalid --time '{value}'", "use ISO 8601, e.g. 2026-01-31T12:00:00Z");
        return parsed;
    }

    /// <summary>A command with a description that ends in an example.</summary>
    internal static Command NewCommand(string name, string description, string example) =>
        new(name, $"{description}\n\nExample:\n  {example}");
}
