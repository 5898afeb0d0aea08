namespace Cairn.Commands.Forget;

/// <summary>The decisions of a policy for one group of snapshots, newest first.</summary>
/// <param name="Group">The group, e.g. "host laptop; paths /home".</param>
/// <param name="Policy">The policy in words.</param>
/// <param name="Decisions">One per snapshot of the group.</param>
public sealed record ForgetGroup(string Group, string Policy, IReadOnlyList<ForgetDecision> Decisions);
