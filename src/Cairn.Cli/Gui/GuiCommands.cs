using System.Globalization;
using Cairn.Commands;
using Cairn.Core;

namespace Cairn.Cli.Gui;

/// <summary>
/// Every GUI action is a cairn command line: this renders it (for the command line window, before the user
/// confirms), runs it in this process exactly as a shell would, and appends it to the action log, a script that
/// repeats what was done. Only commands that make sense from a page are taken.
/// </summary>
internal sealed class GuiCommands(IReadOnlyList<GuiRepository> repositories, string actionLog)
{
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "snapshots", "ls", "find", "diff", "stats", "backup", "restore", "forget", "prune", "check", "key", "run", "jobs", "hold", "policy", "export",
    };

    private readonly SemaphoreSlim _log = new(1);

    public IReadOnlyList<GuiRepository> Repositories => repositories;

    /// <summary>The default place of the action log.</summary>
    public static string DefaultActionLog()
    {
        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(state, "cairn", "actions.log");
    }

    /// <summary>The full argument list of an action, in <see cref="CommandLine"/>'s form.</summary>
    public IReadOnlyList<string> ArgumentsOf(GuiAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var repository = repositories.FirstOrDefault(r => r.Name == action.Repository)
            ?? throw new CairnException(ErrorKind.Usage, $"no repository '{action.Repository}'");
        if (action.Arguments.Length == 0 || !Allowed.Contains(action.Arguments[0]))
            throw new CairnException(ErrorKind.Usage, $"'{action.Arguments.FirstOrDefault()}' is not a command the GUI runs");
        return [.. repository.Arguments, .. action.Arguments];
    }

    /// <summary>The command line, as a person would type it.</summary>
    public string Render(GuiAction action) => CommandLine.Render(ArgumentsOf(action));

    /// <summary>Runs the action with --json, logs its command line, and returns what it gave.</summary>
    public async Task<GuiActionResult> RunAsync(GuiAction action, bool changesSomething)
    {
        var arguments = ArgumentsOf(action);
        var command = CommandLine.Render(arguments);
        if (changesSomething)
            await AppendToLogAsync(command).ConfigureAwait(false);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync([.. arguments.SelectMany(a => a.Split('\0')), "--json"], output, error).ConfigureAwait(false);
        return new GuiActionResult(command, code, output.ToString(), error.ToString());
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
