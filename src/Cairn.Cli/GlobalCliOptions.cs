using System.CommandLine;
using Cairn.Commands;

namespace Cairn.Cli;

/// <summary>The options every command accepts.</summary>
internal sealed class GlobalCliOptions
{
    public Option<string?> Repo { get; } = new("--repo", "-r") { Description = "repository location (default: $CAIRN_REPOSITORY)", Recursive = true };
    public Option<string?> PasswordFile { get; } = new("--password-file") { Description = "read the password from the first line of FILE", Recursive = true };
    public Option<string?> PasswordCommand { get; } = new("--password-command") { Description = "read the password from the output of COMMAND", Recursive = true };
    public Option<string?> Config { get; } = new("--config") { Description = "read settings from FILE (default: ~/.config/cairn/cairn.toml, else /etc/cairn/cairn.toml)", Recursive = true };
    public Option<bool> Json { get; } = new("--json") { Description = "print results as JSON, for scripts", Recursive = true };
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "print no progress and only errors", Recursive = true };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Repo);
        root.Options.Add(PasswordFile);
        root.Options.Add(PasswordCommand);
        root.Options.Add(Config);
        root.Options.Add(Json);
        root.Options.Add(Quiet);
    }

    public GlobalOptions From(ParseResult result) =>
        new(result.GetValue(Repo), new PasswordOptions(result.GetValue(PasswordFile), result.GetValue(PasswordCommand)), result.GetValue(Config));
}
