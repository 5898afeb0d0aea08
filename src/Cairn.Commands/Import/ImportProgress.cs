using Cairn.Core;

namespace Cairn.Commands.Import;

/// <summary>Live counters of a running import, read by whatever renders progress; also receives warnings.</summary>
public sealed class ImportProgress : OperationProgress
{
    private long _entries, _bytes, _metadataNotImported;

    /// <summary>Archive entries handled so far.</summary>
    public long Entries => Interlocked.Read(ref _entries);

    /// <summary>Bytes of file content stored (or found stored already) so far.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Entries imported without some of the metadata the archive carries for them (an ACL naming an unknown user).</summary>
    public long MetadataNotImported => Interlocked.Read(ref _metadataNotImported);

    /// <summary>Reports metadata of an entry that could not be taken over, one message each; the entry itself is imported.</summary>
    internal void MetadataDropped(string path, IReadOnlyList<string> messages)
    {
        if (messages.Count == 0)
            return;
        Interlocked.Increment(ref _metadataNotImported);
        foreach (var message in messages)
            Warning(path, message);
    }

    internal void EntryDone() => Interlocked.Increment(ref _entries);

    internal void BytesRead(long bytes) => Interlocked.Add(ref _bytes, bytes);
}
