namespace Cairn.Commands;

/// <summary>Options every repository command shares.</summary>
/// <param name="Repository">The repository location (<c>-r</c>); null means <c>CAIRN_REPOSITORY</c>.</param>
/// <param name="Password">Where the password comes from.</param>
/// <param name="ConfigFile">The configuration file (<c>--config</c>); null means the usual places.</param>
/// <param name="Storage">Connections, limits, verification and store options; null means the defaults.</param>
public sealed record GlobalOptions(string? Repository, PasswordOptions Password, string? ConfigFile = null, StorageSettings? Storage = null)
{
    /// <summary>The environment variable naming the repository.</summary>
    public const string RepositoryVariable = "CAIRN_REPOSITORY";

    /// <summary>The repository location after falling back to the environment.</summary>
    public string? ResolvedRepository => Repository ?? Environment.GetEnvironmentVariable(RepositoryVariable);

    /// <summary>The arguments that select the same repository and password source (never the password itself).</summary>
    public IEnumerable<string> ToArguments()
    {
        if (Repository is not null)
            yield return "-r" + "\0" + Repository;
        if (Password.File is not null)
            yield return "--password-file" + "\0" + Password.File;
        if (Password.Command is not null)
            yield return "--password-command" + "\0" + Password.Command;
        if (ConfigFile is not null)
            yield return "--config" + "\0" + ConfigFile;
        foreach (var argument in (Storage ?? StorageSettings.Default).ToArguments())
            yield return argument;
    }
}
