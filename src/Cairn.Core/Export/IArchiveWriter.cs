namespace Cairn.Core.Export;

/// <summary>Writes archive members one after another to a stream, in one archive format.</summary>
public interface IArchiveWriter : IAsyncDisposable
{
    /// <summary>The bytes written so far (before any compression).</summary>
    long Position { get; }

    /// <summary>
    /// The bytes <paramref name="member"/> will add, headers and padding included, or null when the format cannot
    /// tell in advance (compressed members).
    /// </summary>
    long? SizeOf(ArchiveMember member);

    /// <summary>The bytes the end of the archive adds.</summary>
    long TrailerSize { get; }

    /// <summary>
    /// Writes one member; for a regular file with content, <paramref name="writeContent"/> writes its
    /// <see cref="ArchiveMember.StoredLength"/> content bytes to the stream it is given.
    /// </summary>
    ValueTask WriteAsync(ArchiveMember member, Func<Stream, CancellationToken, ValueTask> writeContent, CancellationToken ct);

    /// <summary>Ends the archive.</summary>
    ValueTask FinishAsync(CancellationToken ct);
}
