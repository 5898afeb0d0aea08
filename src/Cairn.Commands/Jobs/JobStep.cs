namespace Cairn.Commands.Jobs;

/// <summary>One step of a job: a hook (a shell command) or a cairn command (its arguments after <c>cairn</c>).</summary>
/// <param name="Kind">What it does.</param>
/// <param name="Arguments">For cairn steps, the arguments in <see cref="CommandLine"/>'s form (an option and its value joined by '\0').</param>
/// <param name="Hook">For hooks, the shell command.</param>
public sealed record JobStep(JobStepKind Kind, IReadOnlyList<string> Arguments, string? Hook)
{
    /// <summary>True for hooks.</summary>
    public bool IsHook => Hook is not null;

    /// <summary>The line a person would type: <c>cairn …</c>, or <c>sh -c '…'</c> for a hook.</summary>
    public string Render() => Hook is not null ? "sh -c " + CommandLine.Quote(Hook) : CommandLine.Render(Arguments);

    /// <summary>The arguments as a program receives them.</summary>
    public string[] Argv() => Arguments.SelectMany(a => a.Split('\0')).ToArray();
}
