using System.Diagnostics;
using Cairn.Tests.Shared;

namespace Cairn.Cli.Tests;

/// <summary>
/// A scratch directory with a repository path, a password file and a configuration file (empty unless a test
/// writes it; always given, so that no cairn.toml of the machine's can change a test), removed afterwards.
/// </summary>
public sealed class TestRepository : IDisposable
{
    public TestRepository()
    {
        Root = Path.Combine(Path.GetTempPath(), "cairn-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        PasswordFile = Path.Combine(Root, "password");
        File.WriteAllText(PasswordFile, "correct horse battery staple\n");
        Repo = Path.Combine(Root, "repo");
        RepoUrl = Repo;
        ConfigFile = Path.Combine(Root, "cairn.toml");
        File.WriteAllText(ConfigFile, "");
    }

    public string Root { get; }
    public string Repo { get; }

    /// <summary>What -r names: <see cref="Repo"/> itself unless a test reaches it through a server.</summary>
    public string RepoUrl { get; set; } = "";

    /// <summary>Global options put before every command's own (e.g. a remote store's -o options).</summary>
    public IReadOnlyList<string> GlobalOptions { get; set; } = [];
    public string PasswordFile { get; }
    public string ConfigFile { get; }

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Runs cairn in-process against this repository.</summary>
    public async Task<CairnRun> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(["-r", RepoUrl, "--password-file", PasswordFile, "--config", ConfigFile, .. GlobalOptions, .. args], output, error);
        return new CairnRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs cairn in-process and requires exit code 0 (the run's output is the failure message otherwise).</summary>
    public async Task<CairnRun> RunOkAsync(params string[] args)
    {
        var run = await RunAsync(args);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }

    /// <summary>Creates the repository with cheap key derivation (tests open it many times).</summary>
    public async Task InitAsync()
    {
        var run = await RunAsync("init", "--kdf-memory", "8192");
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    /// <summary>
    /// Starts the real executable as a separate process, with <paramref name="environment"/> added to this one's,
    /// as <paramref name="asUser"/> and with <paramref name="umask"/> (octal, as the shell takes it) when given; with
    /// SIGHUP ignored, as <c>nohup</c> starts a program, when <paramref name="hangupIgnored"/>.
    /// </summary>
    public Process Start(string[] args, string? asUser = null, bool redirectInput = false, IReadOnlyDictionary<string, string>? environment = null,
        string? umask = null, bool hangupIgnored = false)
    {
        var command = new List<string>();
        var setUp = new List<string>();
        if (umask is not null)
            setUp.Add($"umask {umask}");
        if (hangupIgnored)
            setUp.Add("trap '' HUP");
        if (setUp.Count > 0)
            command.AddRange(["sh", "-c", string.Join(" && ", setUp) + " && exec \"$@\"", "sh"]);
        if (asUser is not null)
            command.AddRange(["setpriv", $"--reuid={asUser}", $"--regid={asUser}", "--clear-groups"]);
        command.AddRange(["dotnet", Path.Combine(AppContext.BaseDirectory, "cairn.dll")]);
        var psi = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var a in command.Skip(1))
            psi.ArgumentList.Add(a);
        foreach (var a in new[] { "-r", RepoUrl, "--password-file", PasswordFile, "--config", ConfigFile }.Concat(GlobalOptions))
            psi.ArgumentList.Add(a);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment.Remove("CAIRN_PASSWORD");
        psi.Environment["DOTNET_CLI_HOME"] = Root;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            psi.Environment[name] = value;
        return Process.Start(psi)!;
    }

    /// <summary>Runs the real executable to completion.</summary>
    public async Task<CairnRun> RunProcessAsync(string[] args, string? asUser = null, IReadOnlyDictionary<string, string>? environment = null,
        string? umask = null)
    {
        using var process = Start(args, asUser, environment: environment, umask: umask);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CairnRun(process.ExitCode, await stdout, await stderr);
    }

    public void Dispose() => ScratchDirectory.Remove(Root);
}
