namespace Cairn.Commands.Copy;

/// <summary>A snapshot <c>cairn copy</c> copied.</summary>
public sealed record CopiedSnapshot(string Source, string Target, DateTimeOffset Time, string Host, IReadOnlyList<string> Paths);
