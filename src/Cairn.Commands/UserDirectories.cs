namespace Cairn.Commands;

/// <summary>Where Cairn keeps a user's files, after the XDG base directory rules.</summary>
public static class UserDirectories
{
    /// <summary>The user's configuration file: <c>$XDG_CONFIG_HOME/cairn/cairn.toml</c>, by default under <c>~/.config</c>.</summary>
    public static string ConfigurationFile => Path.Combine(Base("XDG_CONFIG_HOME", ".config"), "cairn", "cairn.toml");

    /// <summary>Where state that may be deleted without harm goes: <c>$XDG_STATE_HOME/cairn</c>, by default <c>~/.local/state/cairn</c>.</summary>
    public static string State => Path.Combine(Base("XDG_STATE_HOME", Path.Combine(".local", "state")), "cairn");

    private static string Base(string variable, string underHome) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), underHome);
}
