namespace Cairn.Cli.Gui;

/// <summary>A repository the GUI offers: its name, location, and the global arguments that open it (never a password itself).</summary>
/// <param name="Name">"default" for the one given to <c>cairn ui</c>, else the <c>[repository.NAME]</c> name.</param>
/// <param name="Url">Its location.</param>
/// <param name="Arguments">The global arguments, in <see cref="Commands.CommandLine"/>'s form.</param>
internal sealed record GuiRepository(string Name, string Url, IReadOnlyList<string> Arguments);
