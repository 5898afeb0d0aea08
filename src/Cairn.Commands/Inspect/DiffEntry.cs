namespace Cairn.Commands.Inspect;

/// <summary>One difference between two snapshots.</summary>
/// <param name="Change">"+" added, "-" removed, "M" content changed, "U" metadata changed, "T" type changed.</param>
/// <param name="Path">The entry's path; directories end with '/'.</param>
public sealed record DiffEntry(string Change, string Path);
