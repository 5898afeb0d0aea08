using System.CommandLine;
using Cairn.Commands;
using Cairn.Core;

namespace Cairn.Cli;

/// <summary>The options every command accepts.</summary>
internal sealed class GlobalCliOptions
{
    public Option<string?> Repo { get; } = new("--repo", "-r") { Description = "repository location (default: $CAIRN_REPOSITORY)", Recursive = true };
    public Option<string?> PasswordFile { get; } = new("--password-file") { Description = "read the password from the first line of FILE", Recursive = true };
    public Option<string?> PasswordCommand { get; } = new("--password-command") { Description = "read the password from the output of COMMAND", Recursive = true };
    public Option<string?> Config { get; } = new("--config") { Description = "read settings from FILE (default: ~/.config/cairn/cairn.toml, else /etc/cairn/cairn.toml)", Recursive = true };
    public Option<int?> Connections { get; } = new("--connections") { Description = "connections to a remote repository used at once (SFTP default 4, S3 default 8)", Recursive = true };
    public Option<long?> LimitUpload { get; } = new("--limit-upload") { Description = "upload at most KiB per second", Recursive = true };
    public Option<long?> LimitDownload { get; } = new("--limit-download") { Description = "download at most KiB per second", Recursive = true };
    public Option<bool> VerifyAfterWrite { get; } = new("--verify-after-write") { Description = "read every object back after writing it and compare", Recursive = true };
    public Option<string[]> Extended { get; } = new("--option", "-o")
    {
        Description = "set a store option KEY=VALUE: sftp.key=FILE, sftp.known-hosts=FILE, sftp.agent=false, s3.profile=NAME, s3.region=REGION, rest.password-file=FILE, rest.fingerprint=HEX, retry.give-up-after=DURATION",
        Recursive = true,
    };
    public Option<bool> Json { get; } = new("--json") { Description = "print results as JSON, for scripts", Recursive = true };
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "print no progress and only errors", Recursive = true };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Repo);
        root.Options.Add(PasswordFile);
        root.Options.Add(PasswordCommand);
        root.Options.Add(Config);
        root.Options.Add(Connections);
        root.Options.Add(LimitUpload);
        root.Options.Add(LimitDownload);
        root.Options.Add(VerifyAfterWrite);
        root.Options.Add(Extended);
        root.Options.Add(Json);
        root.Options.Add(Quiet);
    }

    public GlobalOptions From(ParseResult result) =>
        new(result.GetValue(Repo), new PasswordOptions(result.GetValue(PasswordFile), result.GetValue(PasswordCommand)), result.GetValue(Config), StorageFrom(result));

    private StorageSettings StorageFrom(ParseResult result)
    {
        var extended = new List<KeyValuePair<string, string>>();
        foreach (var option in result.GetValue(Extended) ?? [])
        {
            var equals = option.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                throw new CairnException(ErrorKind.Usage, $"-o {option}: expected KEY=VALUE", "e.g. -o sftp.key=~/.ssh/backup_key");
            extended.Add(new(option[..equals], option[(equals + 1)..]));
        }
        if (result.GetValue(Connections) is < 1)
            throw new CairnException(ErrorKind.Usage, "--connections must be at least 1");
        if (result.GetValue(LimitUpload) is < 1 || result.GetValue(LimitDownload) is < 1)
            throw new CairnException(ErrorKind.Usage, "--limit-upload and --limit-download take KiB per second, at least 1");
        return new StorageSettings
        {
            Connections = result.GetValue(Connections),
            LimitUpload = result.GetValue(LimitUpload),
            LimitDownload = result.GetValue(LimitDownload),
            VerifyAfterWrite = result.GetValue(VerifyAfterWrite),
            Extended = extended,
        };
    }
}
