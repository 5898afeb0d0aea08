namespace Cairn.Server;

/// <summary>The names in a request's path: an owner and a repository, each one safe path segment.</summary>
public static class RepositoryPath
{
    /// <summary>True for a non-empty segment of letters, digits, '-', '_' and '.', not "." or "..".</summary>
    public static bool IsValidSegment(string segment) =>
        segment.Length is > 0 and <= 128 && segment is not ("." or "..")
        && segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
