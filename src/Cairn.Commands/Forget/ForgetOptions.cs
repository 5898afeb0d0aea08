namespace Cairn.Commands.Forget;

/// <summary>Options of <c>cairn forget</c>.</summary>
public sealed record ForgetOptions
{
    /// <summary>The snapshots to remove: IDs, unique prefixes or <c>latest</c>.</summary>
    public required IReadOnlyList<string> Snapshots { get; init; }

    /// <summary>Say what would be removed; remove nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>The arguments after <c>cairn</c> that do the same.</summary>
    public IEnumerable<string> ToArguments()
    {
        yield return "forget";
        if (DryRun)
            yield return "--dry-run";
        foreach (var s in Snapshots)
            yield return s;
    }
}
