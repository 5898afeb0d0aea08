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
        var name = options.StdinFilename;
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
            throw new CairnException(ErrorKind.Usage, $"invalid --stdin-filename '{name}'", "give a file name without '/'");

        await using var repoLock = await repository.LockAsync(exclusive: false, "backup", ct).ConfigureAwait(false);
        await repository.LoadIndexAsync(null, ct).ConfigureAwait(false);
        var started = DateTimeOffset.UtcNow;
        var compression = CompressionSetting.Parse(options.Compression ?? repository.Config.Compression);
        var chunker = new Chunker(repository.Config.Chunker, repository.Keys.ChunkerSeed);
        await using var writer = new BlobWriter(repository, compression, Math.Max(1, Environment.ProcessorCount), options.VerifyDedup, ct);

        List<BlobId> content;
        long length;
        if (options.StdinFromCommand is { } command)
        {
            var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(command);
            using var process = Process.Start(psi) ?? throw new CairnException(ErrorKind.InvalidInput, $"cannot run '{command}'");
            var output = process.StandardOutput.BaseStream;
            (content, length) = await ContentChunker.ChunkAsync((into, token) => output.ReadAsync(into, token), 0, chunker, writer, ct).ConfigureAwait(false);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            if (process.ExitCode != 0)
                throw new CairnException(ErrorKind.InvalidInput, $"'{command}' exited with code {process.ExitCode}: no snapshot was made",
                    "fix the command; what it wrote before failing is not kept as a backup");
        }
        else
        {
            await using var input = Console.OpenStandardInput();
            (content, length) = await ContentChunker.ChunkAsync((into, token) => input.ReadAsync(into, token), 0, chunker, writer, ct).ConfigureAwait(false);
        }

        var now = PosixTime.FromDateTimeOffset(DateTimeOffset.UtcNow);
        var uid = Posix.EffectiveUserId;
        var gid = Posix.EffectiveGroupId;
        var node = new Node
        {
            Name = Encoding.UTF8.GetBytes(name),
            Kind = FileKind.File,
            Mode = 0x1A4, // rw-r--r--
            Uid = uid,
            Gid = gid,
            User = Posix.UserName(uid),
            Group = Posix.GroupName(gid),
            Size = length,
            Mtime = now,
            Atime = now,
            Ctime = now,
            Links = 1,
            Content = content,
        };
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
