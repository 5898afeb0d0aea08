using System.Globalization;
using Cairn.Commands;
using Cairn.Core;

namespace Cairn.Cli.Gui;

/// <summary>
/// Every GUI action is a cairn command line: this renders it (for the command line window, before the user
/// confirms), runs it in this process exactly as a shell would, and appends it to the action log, a script that
/// repeats what was done. Only commands that make sense from a page are taken.
/// </summary>
internal sealed class GuiCommands(IEnumerable<GuiRepository> repositories, string actionLog, IReadOnlyList<string> commonArguments)
{
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "snapshots", "ls", "find", "diff", "stats", "backup", "restore", "forget", "prune", "check", "key", "run", "jobs", "job", "hold", "policy", "export",
    };

    private readonly SemaphoreSlim _log = new(1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, GuiTask> _tasks = new(StringComparer.Ordinal);

    private readonly List<GuiRepository> _repositories = [.. repositories];

    public IReadOnlyList<GuiRepository> Repositories
    {
        get
        {
            lock (_repositories)
                return [.. _repositories];
        }
    }

    /// <summary>
    /// Offers one more repository, opened by its location: <c>-r URL</c> and the option that reads its password
    /// (never the password), plus the options every line has (the configuration file).
    /// </summary>
    public GuiRepository Open(string url, string? passwordFile, string? passwordCommand)
    {
        if (string.IsNullOrWhiteSpace(url))
            throw new CairnException(ErrorKind.Usage, "no repository location given");
        List<string> arguments = [CommandLine.Option("-r", url.Trim())];
        if (!string.IsNullOrWhiteSpace(passwordFile))
            arguments.Add(CommandLine.Option("--password-file", passwordFile.Trim()));
        if (!string.IsNullOrWhiteSpace(passwordCommand))
            arguments.Add(CommandLine.Option("--password-command", passwordCommand.Trim()));
        arguments.AddRange(commonArguments);
        lock (_repositories)
        {
            if (_repositories.FirstOrDefault(r => r.Url == url.Trim() && r.Arguments.SequenceEqual(arguments)) is { } known)
                return known;
            var opened = new GuiRepository($"opened-{_repositories.Count(r => r.Name.StartsWith("opened-", StringComparison.Ordinal)) + 1}", url.Trim(), arguments);
            _repositories.Add(opened);
            return opened;
        }
    }

    /// <summary>The default place of the action log.</summary>
    public static string DefaultActionLog()
    {
        return Path.Combine(UserDirectories.State, "actions.log");
    }

    /// <summary>The full argument list of an action, in <see cref="CommandLine"/>'s form.</summary>
    public IReadOnlyList<string> ArgumentsOf(GuiAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var repository = Repositories.FirstOrDefault(r => r.Name == action.Repository)
            ?? throw new CairnException(ErrorKind.Usage, $"no repository '{action.Repository}'");
        if (action.Arguments.Length == 0 || !Allowed.Contains(action.Arguments[0]))
            throw new CairnException(ErrorKind.Usage, $"'{action.Arguments.FirstOrDefault()}' is not a command the GUI runs");
        return [.. repository.Arguments, .. action.Arguments];
    }

    /// <summary>The command line, as a person would type it.</summary>
    public string Render(GuiAction action) => CommandLine.Render(ArgumentsOf(action));

    /// <summary>Runs a listing with --json and returns what it gave; nothing is logged.</summary>
    public Task<GuiActionResult> QueryAsync(GuiAction action) => RunAsync(ArgumentsOf(action), null, CancellationToken.None);

    /// <summary>Logs the action's command line and starts it in the background; its progress and end are on the task.</summary>
    public async Task<GuiTask> StartAsync(GuiAction action)
    {
        var arguments = ArgumentsOf(action);
        var task = new GuiTask(Guid.NewGuid().ToString("N"), CommandLine.Render(arguments));
        await AppendToLogAsync(task.Command).ConfigureAwait(false);
        // Results are kept a while for a page that follows late, then forgotten.
        foreach (var old in _tasks.Values.Where(t => t.Finished < DateTimeOffset.UtcNow.AddMinutes(-10)).ToList())
        {
            if (_tasks.TryRemove(old.Id, out var removed))
                removed.Dispose();
        }
        _tasks[task.Id] = task;
        _ = Task.Run(async () => task.Finish(await RunAsync(arguments, task.Report, task.Token).ConfigureAwait(false)));
        return task;
    }

    /// <summary>
    /// Streams <c>cairn export SNAPSHOT:PATH --format FORMAT -o -</c> into <paramref name="body"/>, logged as that line
    /// with its output saved to <paramref name="fileName"/>; returns the exit code and the error lines.
    /// </summary>
    public async Task<(int Code, string Error)> DownloadAsync(string repository, string target, string format, string fileName, Stream body, CancellationToken ct)
    {
        var arguments = ArgumentsOf(new GuiAction(repository, ["export", target, "--format", format, "-o", "-"]));
        await AppendToLogAsync(CommandLine.Render(arguments) + " > " + CommandLine.Quote(fileName)).ConfigureAwait(false);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync([.. arguments.SelectMany(a => a.Split('\0')), "--quiet-metadata-warnings"], output, error, null, ct, body).ConfigureAwait(false);
        return (code, error.ToString());
    }

    /// <summary>A task started here, or null.</summary>
    public GuiTask? Find(string id) => _tasks.GetValueOrDefault(id);

    private static async Task<GuiActionResult> RunAsync(IReadOnlyList<string> arguments, Action<string>? progress, CancellationToken ct)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync([.. arguments.SelectMany(a => a.Split('\0')), "--json"], output, error, progress, ct).ConfigureAwait(false);
        return new GuiActionResult(CommandLine.Render(arguments), code, output.ToString(), error.ToString());
    }

    private async Task AppendToLogAsync(string command)
    {
        await _log.WaitAsync().ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(actionLog))!);
            var fresh = !File.Exists(actionLog);
            var line = (fresh ? "#!/bin/sh\n# Cairn GUI actions, one command line each, oldest first: run it as a script to do them again.\n" : "")
                + $"# {DateTimeOffset.Now.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)}\n{command}\n";
            await File.AppendAllTextAsync(actionLog, line).ConfigureAwait(false);
        }
        finally
        {
            _log.Release();
        }
    }
}
