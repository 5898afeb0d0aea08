namespace Cairn.Cli.Gui;

/// <summary>The page asks to offer a repository by its location, with the option that reads its password.</summary>
internal sealed record GuiOpenRequest(string Url, string? PasswordFile, string? PasswordCommand);
