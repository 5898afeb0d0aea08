namespace Cairn.Cli.Gui;

/// <summary>What running an action gave: the command line, its exit code, its output (JSON) and its error lines.</summary>
internal sealed record GuiActionResult(string Command, int ExitCode, string Output, string Error);
