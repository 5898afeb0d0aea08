namespace Cairn.Cli;

/// <summary>The cairn executable's entry point.</summary>
public static class Program
{
    /// <summary>Parses the command line and runs the command; returns the exit code.</summary>
    public static Task<int> Main(string[] args) => CliApp.RunAsync(args, Console.Out, Console.Error);
}
