namespace Cairn.Cli.Tests;

/// <summary>The outcome of one cairn invocation.</summary>
public sealed record CairnRun(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
