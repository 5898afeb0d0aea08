using System.CommandLine;
using Cairn.Commands;
using Cairn.Core;
using Cairn.Core.Repository;

namespace Cairn.Cli;

/// <summary>The options that name a second, source repository (<c>copy</c>, <c>init --copy-chunker-params</c>).</summary>
internal sealed class SourceRepositoryOptions
{
    /// <summary>The environment variable naming the source repository.</summary>
    public const string RepositoryVariable = "CAIRN_FROM_REPOSITORY";

    /// <summary>The environment variable holding the source repository's password.</summary>
    public const string PasswordVariable = "CAIRN_FROM_PASSWORD";

    private readonly Option<string?> _repository = new("--from-repo") { Description = $"the source repository (or ${RepositoryVariable})" };
    private readonly Option<string?> _passwordFile = new("--from-password-file") { Description = "read the source's password from FILE" };
    private readonly Option<string?> _passwordCommand = new("--from-password-command") { Description = "run COMMAND to get the source's password" };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_repository);
        command.Options.Add(_passwordFile);
        command.Options.Add(_passwordCommand);
    }

    /// <summary>Opens the source repository; remote options (-o) are those of the command line.</summary>
    public Task<Repository> OpenAsync(CliContext ctx, CancellationToken ct)
    {
        var r = ctx.Result;
        var from = r.GetValue(_repository) ?? Environment.GetEnvironmentVariable(RepositoryVariable)
            ?? throw new CairnException(ErrorKind.Usage, "no source repository given", $"use --from-repo or {RepositoryVariable}");
        var password = new PasswordOptions(r.GetValue(_passwordFile), r.GetValue(_passwordCommand));
        return RepositoryOpener.OpenAsync(from, ctx.Global.Storage,
            () => PasswordResolver.Resolve(password, ctx.Prompt, "enter the source repository's password: ", PasswordVariable), ctx.Notice, ct);
    }
}
