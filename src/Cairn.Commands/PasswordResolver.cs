using System.Diagnostics;
using System.Text;
using Cairn.Core;

namespace Cairn.Commands;

/// <summary>Finds the repository password from the sources in <see cref="PasswordOptions"/>.</summary>
public static class PasswordResolver
{
    /// <summary>The environment variable holding the password.</summary>
    public const string EnvironmentVariable = "CAIRN_PASSWORD";

    /// <summary>Returns the password as UTF-8 bytes.</summary>
    public static byte[] Resolve(PasswordOptions options, IPasswordPrompt prompt, string question = "enter repository password: ",
        string environmentVariable = EnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(prompt);
        if (options.File is { } file)
        {
            try
            {
                return Encoding.UTF8.GetBytes(FirstLine(System.IO.File.ReadAllText(file)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CairnException(ErrorKind.InvalidInput, $"cannot read password file {file}: {e.Message}");
            }
        }
        if (options.Command is { } command)
            return Encoding.UTF8.GetBytes(RunCommand(command));
        if (Environment.GetEnvironmentVariable(environmentVariable) is { } env)
            return Encoding.UTF8.GetBytes(env);
        if (prompt.CanPrompt)
            return Encoding.UTF8.GetBytes(prompt.Ask(question));
        throw new CairnException(ErrorKind.Usage, "no password given",
            environmentVariable == EnvironmentVariable ? $"use --password-file, --password-command or {EnvironmentVariable}" : $"use --from-password-file, --from-password-command or {environmentVariable}");
    }

    private static string RunCommand(string command)
    {
        var psi = ShellCommand.StartInfo(command);
        psi.RedirectStandardOutput = true;
        using var process = Process.Start(psi) ?? throw new CairnException(ErrorKind.InvalidInput, $"cannot run password command '{command}'");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new CairnException(ErrorKind.InvalidInput, $"password command '{command}' failed with exit code {process.ExitCode}");
        return FirstLine(output);
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
