namespace Cairn.Core.Format;

/// <summary>Stored bytes failed authentication or did not parse: the repository data is damaged.</summary>
public sealed class RepositoryCorruptException : Exception
{
    /// <summary>Creates the exception naming the damaged object.</summary>
    public RepositoryCorruptException(string objectName, string problem, Exception? inner = null)
        : base($"repository data is corrupt: {objectName}: {problem}", inner)
    {
        ObjectName = objectName;
    }

    /// <summary>The damaged object, e.g. <c>data/ab/ab12…</c> or <c>blob 3f2a…</c>.</summary>
    public string ObjectName { get; }
}
