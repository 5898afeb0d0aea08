using System.Diagnostics;
using System.Text;
using Cairn.Core;
using Cairn.Core.Backup;
using Cairn.Core.Buffers;
using Cairn.Core.Chunking;
using Cairn.Core.Compression;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Repository;
using Cairn.Core.Snapshots;
using Cairn.Core.Trees;

namespace Cairn.Commands.Backup;

/// <summary>
/// <c>backup --stdin</c> and <c>--stdin-from-command</c>: a stream (a database dump, a disk image) stored as one
/// file, <c>/NAME</c>, in a snapshot of its own. A command that fails makes no snapshot.
/// </summary>
public static class StreamBackup
{
    /// <summary>Backs up the stream the options name.</summary>
    public static async Task<BackupResult> RunAsync(Repository repository, BackupCommandOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Paths.Count > 0)
            throw new CairnException(ErrorKind.Usage, "--stdin and --stdin-from-command take no paths", "the stream is stored as /NAME; name it with --stdin-filename");
        if (options.Stdin && options.StdinFromCommand is not null)
            throw new CairnException(ErrorKind.Usage, "give --stdin or --stdin-from-command, not both");
        var name = CommandSource.CheckName(options.StdinFilename);

        await using var repoLock = await repository.LockAsync(exclusive: false, "backup", ct).ConfigureAwait(false);
        await repository.LoadIndexAsync(null, ct).ConfigureAwait(false);
        var started = DateTimeOffset.UtcNow;
        var compression = CompressionSetting.Parse(options.Compression ?? repository.Config.Compression);
        var chunker = new Chunker(repository.Config.Chunker, repository.Keys.ChunkerSeed);
        await using var writer = new BlobWriter(repository, compression, Math.Max(1, Environment.ProcessorCount), options.VerifyDedup, ct);

        Node node;
        long length;
        if (options.StdinFromCommand is { } command)
        {
            (node, length) = await new CommandSource(name, command).RunAsync(chunker, writer, ct).ConfigureAwait(false);
        }
        else
        {
            await using var input = Console.OpenStandardInput();
            var (content, read) = await ContentChunker.ChunkAsync((into, token) => input.ReadAsync(into, token), 0, chunker, writer, ct).ConfigureAwait(false);
            (node, length) = (CommandSource.FileNode(name, read, content), read);
        }

        var tree = TreeCodec.Encode([node]);
        var treeId = repository.IdOf(BlobType.Tree, tree);
        var rented = BufferPool.Shared.Rent(tree.Length);
        tree.CopyTo(rented, 0);
        await writer.SaveAsync(BlobType.Tree, treeId, rented, tree.Length, ct).ConfigureAwait(false);
        await writer.FlushAsync(ct).ConfigureAwait(false);

        var snapshot = new Snapshot
        {
            Time = options.Time ?? started,
            Host = options.Host ?? Environment.MachineName,
            Tags = options.Tags,
            Summary = new SnapshotSummary { FilesNew = 1, TotalFiles = 1, TotalBytes = length, BytesRead = length },
            Paths = ["/" + name],
            Tree = treeId,
        };
        var (id, summary) = await BackupHandler.StoreSnapshotAsync(repository, snapshot, writer.Statistics, started, options.DestroyAfter, ct).ConfigureAwait(false);
        return new BackupResult(id.ToString(), null, summary, false, 0);
    }
}
