using Cairn.Core;
using Cairn.Core.Archive;
using Cairn.Core.Backup;
using Cairn.Core.Chunking;
using Cairn.Core.Compression;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Repository;
using Cairn.Core.Snapshots;
using Cairn.Commands.Backup;

namespace Cairn.Commands.Import;

/// <summary>
/// <c>cairn import</c>: a tar archive (ustar, pax or GNU; plain, gzip or zstd; a file or standard input) becomes a
/// snapshot with every piece of metadata the archive carries. The archive is read once, front to back: file
/// content is chunked and stored as it streams by, the directory tree is built in memory and saved at the end,
/// and only then the snapshot. A damaged or cut-short archive makes no snapshot.
/// </summary>
public static class ImportHandler
{
    /// <summary>Imports the archive the options name into a new snapshot.</summary>
    public static async Task<ImportResult> RunAsync(Repository repository, ImportOptions options, ImportProgress progress, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        CompressionSetting compression;
        try
        {
            compression = CompressionSetting.Parse(options.Compression ?? repository.Config.Compression);
        }
        catch (FormatException e)
        {
            throw new CairnException(ErrorKind.Usage, e.Message);
        }
        await using var source = OpenArchive(options.Archive);

        await using var repoLock = await repository.LockAsync(exclusive: false, "import", ct).ConfigureAwait(false);
        await repository.LoadIndexAsync(null, ct).ConfigureAwait(false);
        var started = DateTimeOffset.UtcNow;
        var chunker = new Chunker(repository.Config.Chunker, repository.Keys.ChunkerSeed);
        await using var writer = new BlobWriter(repository, compression, Math.Max(1, Environment.ProcessorCount), verifyDedup: false, ct);
        await using var input = await ArchiveInput.OpenAsync(source, ct).ConfigureAwait(false);
        var reader = new TarArchiveReader(input.Tar);
        var tree = new ImportTree(PosixTime.FromDateTimeOffset(started));
        long bytesRead = 0;
        var entries = 0;
        while (await reader.NextAsync(ct).ConfigureAwait(false) is { } entry)
        {
            entries++;
            bytesRead += await AddAsync(tree, entry, reader, chunker, writer, progress, ct).ConfigureAwait(false);
            progress.EntryDone();
        }
        if (entries == 0)
            throw new CairnException(ErrorKind.InvalidInput, "the archive holds no entries: no snapshot was made");

        var root = await tree.SaveAsync(writer, ct).ConfigureAwait(false);
        await writer.FlushAsync(ct).ConfigureAwait(false);
        var snapshot = new Snapshot
        {
            Time = options.Time ?? started,
            Host = options.Host ?? Environment.MachineName,
            Tags = options.Tags,
            Summary = new SnapshotSummary
            {
                FilesNew = tree.Files,
                Directories = tree.Directories,
                TotalFiles = tree.Entries,
                TotalBytes = tree.FileBytes,
                BytesRead = bytesRead,
                Errors = progress.Errors,
            },
            Paths = [.. tree.TopLevelNames.Select(name => "/" + PathBytes.Display(name))],
            Tree = root,
        };
        var (id, summary) = await BackupHandler.StoreSnapshotAsync(repository, snapshot, writer.Statistics, started, options.DestroyAfter, ct).ConfigureAwait(false);
        return new ImportResult(id.ToString(), summary, progress.MetadataNotImported, input.Compression, input.HadExportHeader);
    }

    /// <summary>Adds one entry to the tree, storing a file's content on the way; returns the content bytes read.</summary>
    private static async Task<long> AddAsync(ImportTree tree, TarEntry entry, TarArchiveReader reader, Chunker chunker, IBlobSaver saver,
        ImportProgress progress, CancellationToken ct)
    {
        progress.MetadataDropped(entry.DisplayPath, entry.Warnings);
        var path = MemberPath(entry.Path);
        if (path is null)
        {
            progress.Error(entry.DisplayPath, "a name with a '..' component is not imported");
            return 0;
        }
        if (path.Count == 0)
            return 0; // the archive's top directory ("./"): the snapshot's root keeps no metadata of its own
        switch (entry.Type)
        {
            case TarEntryType.Directory:
                tree.AddDirectory(path, entry);
                return 0;
            case TarEntryType.HardLink:
                var target = entry.LinkTarget is { } link ? MemberPath(link) : null;
                if (target is null || !tree.AddLink(path, target))
                    progress.Error(entry.DisplayPath, $"hard link to '{PathBytes.Display(entry.LinkTarget ?? [])}', which is no earlier non-directory entry of the archive: not imported");
                return 0;
            case TarEntryType.File:
                var (content, length) = await ContentChunker.ChunkAsync(async (into, token) =>
                {
                    var n = await reader.ReadDataAsync(into, token).ConfigureAwait(false);
                    progress.BytesRead(n);
                    return n;
                }, entry.DataLength, chunker, saver, ct).ConfigureAwait(false);
                // A "sparse" file without holes is stored whole, as a backup stores it.
                var extents = entry.SparseMap is [var only] && only.Offset == 0 && only.Length == entry.Size ? null : entry.SparseMap;
                tree.AddInode(path, new ImportedInode(entry, content, extents));
                return length;
            case TarEntryType.Symlink or TarEntryType.CharDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                tree.AddInode(path, new ImportedInode(entry, [], null));
                return 0;
            default:
                progress.Error(entry.DisplayPath, $"an entry of tar type '{(char)entry.TypeFlag}' is not a file, directory, link, device or FIFO: not imported");
                return 0;
        }
    }

    /// <summary>
    /// A member name's components: a leading "/" or "./" (or several) and empty and "." components dropped; null
    /// when a component is "..", which would point outside the snapshot.
    /// </summary>
    private static List<byte[]>? MemberPath(byte[] name)
    {
        var components = new List<byte[]>();
        foreach (var range in ((ReadOnlySpan<byte>)name).Split((byte)'/'))
        {
            var component = name.AsSpan(range);
            if (component.IsEmpty || component.SequenceEqual("."u8))
                continue;
            if (component.SequenceEqual(".."u8))
                return null;
            components.Add(component.ToArray());
        }
        return components;
    }

    private static Stream OpenArchive(string archive)
    {
        if (archive == "-")
            return new BufferedStream(Console.OpenStandardInput(), 1 << 20);
        try
        {
            return new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CairnException(ErrorKind.InvalidInput, $"cannot open the archive '{archive}': {e.Message}");
        }
    }
}
