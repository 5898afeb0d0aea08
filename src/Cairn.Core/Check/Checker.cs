using System.Collections.Concurrent;
using System.Security.Cryptography;
using Cairn.Core.Buffers;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Snapshots;
using Cairn.Core.Trees;
using Cairn.Storage;
using Repo = Cairn.Core.Repository.Repository;

namespace Cairn.Core.Check;

/// <summary>
/// Verifies a repository: index files, pack headers against the index, snapshots, every tree and every blob
/// reference, and optionally the content of every (or a share of the) packs. Reports each damaged object by name,
/// and the snapshot files the damage affects. Never changes the repository.
/// </summary>
public sealed class Checker(Repo repository, CheckOptions options)
{
    private readonly ConcurrentBag<CheckProblem> _errors = [];
    private readonly ConcurrentBag<CheckProblem> _warnings = [];
    private readonly ConcurrentDictionary<BlobId, string> _damagedBlobs = new();
    private readonly HashSet<BlobId> _used = [];
    private Dictionary<PackId, List<(BlobId Id, Repository.IndexEntry Entry)>> _blobsByPack = [];

    /// <summary>How much of a pack <c>--read-data</c> reads at once, at least (a window ends where a blob ends).</summary>
    private const int ReadWindow = 4 * 1024 * 1024;

    /// <summary>Runs the check.</summary>
    public async Task<CheckResult> RunAsync(CancellationToken ct = default)
    {
        // Snapshots before the index: a backup writes its index files before its snapshot, so a backup that ends
        // while this check runs cannot leave a snapshot whose blobs seem missing.
        var snapshots = await repository.LoadSnapshotsAsync((id, e) => Error($"snapshots/{id}", e.Message), ct).ConfigureAwait(false);
        await repository.LoadIndexAsync((name, e) => Error(name.ToString(), e.Message), ct).ConfigureAwait(false);
        var index = repository.Index;
        var stored = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var o in repository.Storage.ListAsync(ObjectKind.Pack, ct).ConfigureAwait(false))
            stored[o.Name.Name] = o.Length;
        var packs = index.Packs();
        _blobsByPack = packs.ToDictionary(p => p, _ => new List<(BlobId, Repository.IndexEntry)>());
        foreach (var (id, entry) in index.Entries())
            _blobsByPack[index.PackOf(entry)].Add((id, entry));
        foreach (var pack in packs)
        {
            if (!stored.ContainsKey(pack.ToString()))
            {
                Error(Repo.PackName(pack).ToString(), "is in the index but missing from the repository");
                MarkPackDamaged(pack, "its pack is missing");
            }
        }
        var orphaned = 0;
        long orphanedBytes = 0;
        HashSet<PackId> doomed = [];
        try
        {
            doomed = await repository.PacksAwaitingDeletionAsync(ct).ConfigureAwait(false);
        }
        catch (RepositoryCorruptException e)
        {
            Error(e.ObjectName, e.Message);
        }
        var awaitingDeletion = 0;
        long awaitingDeletionBytes = 0;
        foreach (var (name, length) in stored)
        {
            if (Digest.TryParse(name, out var p) && !index.ContainsPack(new PackId(p)) && doomed.Contains(new PackId(p)))
            {
                awaitingDeletion++;
                awaitingDeletionBytes += length;
            }
            else if (!Digest.TryParse(name, out var d) || !index.ContainsPack(new PackId(d)))
            {
                _warnings.Add(new CheckProblem(new ObjectName(ObjectKind.Pack, name).ToString(), "is not in any index (left by an interrupted backup; the next backup indexes it)"));
                orphaned++;
                orphanedBytes += length;
            }
        }
        // A backup that ran beside a prune may use a pack the prune took out of the index, until it indexes that
        // pack again: such blobs are stored, not missing. They count after every indexed pack, as prune counts them.
        foreach (var pack in doomed.Where(p => !index.ContainsPack(p) && stored.ContainsKey(p.ToString())))
        {
            try
            {
                index.AddPack(pack, await repository.ReadPackHeaderAsync(pack, stored[pack.ToString()], ct).ConfigureAwait(false));
            }
            catch (Exception e) when (e is RepositoryCorruptException or StorageException)
            {
                _warnings.Add(new CheckProblem(Repo.PackName(pack).ToString(), $"awaits deletion and cannot be read: {e.Message}"));
            }
        }
        var present = packs.Where(p => stored.ContainsKey(p.ToString())).ToList();
        await CheckHeadersAsync(present, stored, ct).ConfigureAwait(false);
        var toRead = options.ReadDataSlice is { } slice ? SelectSlice(present, slice) : SelectPacks(present, options.ReadDataPercent);
        await ReadPacksAsync(toRead, stored, ct).ConfigureAwait(false);

        var treeDamaged = new Dictionary<BlobId, bool>();
        foreach (var snapshot in snapshots)
            await CheckTreeAsync(snapshot.Tree, treeDamaged, ct).ConfigureAwait(false);
        var (unusedBlobs, unusedBytes, unusedPacks) = Unused(packs);
        var affected = new List<AffectedFile>();
        if (!_damagedBlobs.IsEmpty)
        {
            foreach (var snapshot in snapshots)
                await CollectAffectedAsync(snapshot, snapshot.Tree, "", treeDamaged, affected, ct).ConfigureAwait(false);
        }
        return new CheckResult
        {
            Errors = [.. _errors.OrderBy(e => e.Object, StringComparer.Ordinal)],
            Warnings = [.. _warnings.OrderBy(e => e.Object, StringComparer.Ordinal)],
            AffectedFiles = affected,
            Snapshots = snapshots.Count,
            Packs = packs.Count,
            PacksRead = toRead.Count,
            Blobs = index.BlobCount,
            UnusedBlobs = unusedBlobs,
            UnusedBytes = unusedBytes,
            UnusedPacks = unusedPacks,
            OrphanedPacks = orphaned,
            OrphanedBytes = orphanedBytes,
            PacksAwaitingDeletion = awaitingDeletion,
            BytesAwaitingDeletion = awaitingDeletionBytes,
        };
    }

    /// <summary>Indexed blobs no snapshot refers to, their stored bytes, and the packs that hold nothing else.</summary>
    private (long Blobs, long Bytes, int Packs) Unused(IReadOnlyCollection<PackId> packs)
    {
        long blobs = 0, bytes = 0;
        var wholly = 0;
        foreach (var pack in packs)
        {
            var unusedHere = 0;
            foreach (var (id, entry) in _blobsByPack[pack])
            {
                if (_used.Contains(id))
                    continue;
                unusedHere++;
                bytes += entry.StoredLength;
            }
            blobs += unusedHere;
            if (unusedHere > 0 && unusedHere == _blobsByPack[pack].Count)
                wholly++;
        }
        return (blobs, bytes, wholly);
    }

    /// <summary>Part N of M: the packs whose ID, read as a number, leaves N - 1 when divided by M.</summary>
    private static List<PackId> SelectSlice(List<PackId> packs, (int Part, int Of) slice) =>
        [.. packs.Where(p => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(p.Digest.ToArray()) % (uint)slice.Of == (uint)(slice.Part - 1))];

    private async Task CheckHeadersAsync(List<PackId> packs, Dictionary<string, long> stored, CancellationToken ct)
    {
        await Parallel.ForEachAsync(packs, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (pack, token) =>
        {
            var name = Repo.PackName(pack).ToString();
            try
            {
                var header = await repository.ReadPackHeaderAsync(pack, stored[pack.ToString()], token).ConfigureAwait(false);
                foreach (var entry in header)
                {
                    if (repository.Index.TryGet(entry.Id, out var e) && repository.Index.PackOf(e) == pack
                        && (e.Offset != entry.Offset || e.StoredLength != entry.StoredLength))
                        Error(name, $"header and index disagree about blob {entry.Id.Digest.Short}");
                }
            }
            catch (Exception e) when (e is RepositoryCorruptException or StorageException)
            {
                Error(name, e.Message);
                MarkPackDamaged(pack, "its pack is damaged");
            }
        }).ConfigureAwait(false);
    }

    private static List<PackId> SelectPacks(List<PackId> packs, double percent)
    {
        if (percent <= 0)
            return [];
        if (percent >= 100)
            return packs;
        var count = (int)Math.Ceiling(packs.Count * percent / 100.0);
        return [.. packs.OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue)).Take(count)];
    }

    /// <summary>
    /// Reads every selected pack whole, in windows of about <see cref="ReadWindow"/> bytes that end where a blob ends
    /// (so that a pack never sits in memory whole): checks that its bytes hash to its name and that every blob the
    /// index puts there opens.
    /// </summary>
    private async Task ReadPacksAsync(List<PackId> packs, Dictionary<string, long> stored, CancellationToken ct)
    {
        await Parallel.ForEachAsync(packs, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = ct }, async (pack, token) =>
        {
            var name = Repo.PackName(pack);
            var length = stored[pack.ToString()];
            var blobs = _blobsByPack[pack].OrderBy(b => b.Entry.Offset).ToList();
            using var hasher = new ContentHasher();
            long position = 0;
            var next = 0;
            while (position < length)
            {
                var end = Math.Min(length, position + ReadWindow);
                var last = next;
                for (; last < blobs.Count && blobs[last].Entry.Offset < end; last++)
                    end = Math.Max(end, Math.Min(length, (long)blobs[last].Entry.Offset + blobs[last].Entry.StoredLength));
                var window = BufferPool.Shared.Rent((int)(end - position));
                try
                {
                    try
                    {
                        await repository.Storage.ReadExactlyAsync(name, position, window.AsMemory(0, (int)(end - position)), token).ConfigureAwait(false);
                    }
                    catch (StorageException e)
                    {
                        Error(name.ToString(), e.Message);
                        MarkPackDamaged(pack, "its pack cannot be read");
                        return;
                    }
                    hasher.Update(window.AsSpan(0, (int)(end - position)));
                    // Blobs are opened in place, over the window's bytes: one that overlaps the last one opened (a
                    // damaged index) is read on its own.
                    var opened = position;
                    for (; next < last; next++)
                    {
                        var entry = blobs[next].Entry;
                        if (entry.Offset >= opened)
                        {
                            await CheckBlobAsync(name, blobs[next].Id, entry, window, position, end, length, token).ConfigureAwait(false);
                            opened = (long)entry.Offset + entry.StoredLength;
                        }
                        else
                            await CheckBlobAsync(name, blobs[next].Id, entry, [], 0, 0, length, token).ConfigureAwait(false);
                    }
                }
                finally
                {
                    BufferPool.Shared.Return(window);
                }
                position = end;
            }
            if (hasher.Finish() != pack.Digest)
                Error(name.ToString(), "content does not match its name (the file was altered or damaged)");
            for (; next < blobs.Count; next++)
                await CheckBlobAsync(name, blobs[next].Id, blobs[next].Entry, [], 0, 0, length, token).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens one blob where it lies in <paramref name="window"/> (the pack's bytes from <paramref name="windowStart"/>
    /// to <paramref name="windowEnd"/>; its bytes are decrypted in place) when it lies there, else read on its own.
    /// </summary>
    private async Task CheckBlobAsync(ObjectName name, BlobId id, Repository.IndexEntry entry, byte[] window, long windowStart, long windowEnd, long packLength, CancellationToken ct)
    {
        byte[]? own = null;
        byte[]? plain = null;
        try
        {
            long blobEnd = (long)entry.Offset + entry.StoredLength;
            if (blobEnd > packLength)
                throw new RepositoryCorruptException(name.ToString(), $"blob {id.Digest.Short} lies beyond the end of the pack (truncated)");
            Memory<byte> sealedBlob;
            if (entry.Offset >= windowStart && blobEnd <= windowEnd)
            {
                sealedBlob = window.AsMemory((int)(entry.Offset - windowStart), (int)entry.StoredLength);
            }
            else
            {
                own = BufferPool.Shared.Rent((int)entry.StoredLength);
                await repository.Storage.ReadExactlyAsync(name, entry.Offset, own.AsMemory(0, (int)entry.StoredLength), ct).ConfigureAwait(false);
                sealedBlob = own.AsMemory(0, (int)entry.StoredLength);
            }
            BlobCodec.OpenInPlace(repository.Keys, new PackEntry(id, entry.Type, entry.Compression, entry.Offset, entry.StoredLength, entry.RawLength),
                sealedBlob, name.ToString(), out plain);
        }
        catch (Exception e) when (e is RepositoryCorruptException or StorageException)
        {
            Error(name.ToString(), e.Message.Replace($"repository data is corrupt: {name}: ", "", StringComparison.Ordinal));
            _damagedBlobs.TryAdd(id, name.ToString());
        }
        finally
        {
            if (plain is not null)
                BufferPool.Shared.Return(plain);
            if (own is not null)
                BufferPool.Shared.Return(own);
        }
    }

    /// <summary>Walks a tree once, checking that every blob it names exists; returns whether anything below is damaged.</summary>
    private async Task<bool> CheckTreeAsync(BlobId tree, Dictionary<BlobId, bool> memo, CancellationToken ct)
    {
        if (memo.TryGetValue(tree, out var known))
            return known;
        memo[tree] = false;
        _used.Add(tree);
        var damaged = false;
        IReadOnlyList<Node> nodes;
        try
        {
            if (_damagedBlobs.ContainsKey(tree))
                throw new RepositoryCorruptException($"tree {tree.Digest.Short}", "is damaged");
            nodes = await repository.LoadTreeOnceAsync(tree, ct).ConfigureAwait(false);
        }
        catch (RepositoryCorruptException e)
        {
            Error(e.ObjectName, e.Message);
            _damagedBlobs.TryAdd(tree, e.ObjectName);
            memo[tree] = true;
            return true;
        }
        foreach (var node in nodes)
        {
            foreach (var id in node.Content)
            {
                _used.Add(id);
                if (_damagedBlobs.ContainsKey(id))
                    damaged = true;
                else if (!repository.Index.Contains(id))
                {
                    Error($"blob {id.Digest.Short}", "is referenced but missing from the repository");
                    _damagedBlobs.TryAdd(id, "missing");
                    damaged = true;
                }
            }
            if (node.Subtree is { } subtree && await CheckTreeAsync(subtree, memo, ct).ConfigureAwait(false))
                damaged = true;
        }
        memo[tree] = damaged;
        return damaged;
    }

    private async Task CollectAffectedAsync(Snapshot snapshot, BlobId tree, string path, Dictionary<BlobId, bool> damaged, List<AffectedFile> affected, CancellationToken ct)
    {
        if (!damaged.GetValueOrDefault(tree))
            return;
        if (_damagedBlobs.ContainsKey(tree))
        {
            affected.Add(new AffectedFile(snapshot.Id.Short, path.Length == 0 ? "/" : path + "/ (directory listing)"));
            return;
        }
        foreach (var node in await repository.LoadTreeAsync(tree, ct).ConfigureAwait(false))
        {
            var childPath = path + "/" + PathBytes.Display(node.Name);
            if (node.Content.Any(_damagedBlobs.ContainsKey))
                affected.Add(new AffectedFile(snapshot.Id.Short, childPath));
            if (node.Subtree is { } subtree)
                await CollectAffectedAsync(snapshot, subtree, childPath, damaged, affected, ct).ConfigureAwait(false);
        }
    }

    private void MarkPackDamaged(PackId pack, string why)
    {
        foreach (var (id, _) in _blobsByPack[pack])
            _damagedBlobs.TryAdd(id, why);
    }

    private void Error(string obj, string message)
    {
        var prefix = $"repository data is corrupt: {obj}: ";
        _errors.Add(new CheckProblem(obj, message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..] : message));
    }
}
