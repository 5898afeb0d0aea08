namespace Cairn.Cli.Gui;

/// <summary>The answer to starting an action: the task to follow, and its command line.</summary>
internal sealed record GuiTaskStarted(string Task, string Command);
