namespace Cairn.Cli.Gui;

/// <summary>An action the page asks for: a cairn command (its arguments after the global ones) on a repository.</summary>
/// <param name="Repository">The repository's name.</param>
/// <param name="Arguments">The command and its arguments, e.g. ["backup", "--tag", "x", "/home"].</param>
internal sealed record GuiAction(string Repository, string[] Arguments);
