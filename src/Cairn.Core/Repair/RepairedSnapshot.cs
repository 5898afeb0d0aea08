namespace Cairn.Core.Repair;

/// <summary>A snapshot <c>repair snapshots</c> found damaged.</summary>
/// <param name="Original">The damaged snapshot's ID.</param>
/// <param name="Replacement">The repaired copy's ID; null when nothing of it could be kept (its root is lost) or in a dry run.</param>
/// <param name="Lost">Paths left out (a directory whose listing was lost ends in '/').</param>
public sealed record RepairedSnapshot(string Original, string? Replacement, IReadOnlyList<string> Lost);
