namespace Cairn.Cli.Gui;

/// <summary>A repository as the page lists it.</summary>
internal sealed record GuiRepositoryInfo(string Name, string Url);
