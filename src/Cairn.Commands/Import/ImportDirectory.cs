using Cairn.Core.Archive;

namespace Cairn.Commands.Import;

/// <summary>
/// A directory of the tree an import builds: its own entry (null while only implied by the paths below it) and
/// its children by name (raw bytes as Latin-1 strings, one char a byte), each name either a directory or not.
/// </summary>
internal sealed class ImportDirectory
{
    public TarEntry? Header { get; set; }

    public Dictionary<string, ImportDirectory> Directories { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ImportedInode> Others { get; } = new(StringComparer.Ordinal);
}
