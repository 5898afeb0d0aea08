using Cairn.Core.Buffers;
using Cairn.Core.Compression;
using Cairn.Core.Format;
using Cairn.Core.Repository;
using Cairn.Core.Snapshots;
using Cairn.Storage;
using Repo = Cairn.Core.Repository.Repository;

namespace Cairn.Core.Prune;

/// <summary>
/// Reclaims the space of data no snapshot uses, while other clients keep backing up: packs leave the index at once
/// but are deleted only when no operation that could have seen them in the index still runs, and a pack that a
/// backup used meanwhile is indexed again instead. Every step leaves a repository whose snapshots all restore.
/// The caller holds a shared lock named <paramref name="ownLock"/> and made sure no other prune runs. See docs/PRUNE.md.
/// </summary>
public sealed class Pruner(Repo repository, PruneOptions options, ObjectName ownLock)
{
    private readonly HashSet<PackId> _deleted = [];
    private readonly HashSet<PackId> _unreadable = [];
    private readonly Dictionary<string, string> _heldBy = new(StringComparer.Ordinal);
    private long _bytesDeleted;
    private int _packsKept;

    /// <summary>Called before each step with a short description, for progress output.</summary>
    public Action<string>? StepStarted { get; init; }

    /// <summary>Runs the prune.</summary>
    public async Task<PruneResult> RunAsync(CancellationToken ct = default)
    {
        var notes = await repository.LoadDeletionNotesAsync(ct).ConfigureAwait(false);
        if (options.OverwriteFreed && !repository.Storage.CanOverwriteInPlace)
            throw new CairnException(ErrorKind.Usage, $"--overwrite-freed: {repository.Storage.Location} cannot overwrite objects in place (an object store or a repository server replaces whole objects); nothing was changed",
                "prune without --overwrite-freed, or on the server's own disk");
        if (!options.DryRun)
        {
            await ProbeDeletionAsync(ct).ConfigureAwait(false);
            await repository.Storage.RemoveStaleTemporaryFilesAsync(TimeSpan.FromHours(24), ct).ConfigureAwait(false); // half-written objects of killed runs
            for (var i = 0; i < notes.Count; i++)
            {
                if (!notes[i].Note.Ready)
                    notes[i] = (notes[i].Name, await RetireIndexFilesAsync(notes[i].Name, notes[i].Note, ct).ConfigureAwait(false));
            }
        }
        // Locks are listed before snapshots are loaded: an operation whose lock is gone has written its snapshot.
        var held = await HeldLocksAsync(ct).ConfigureAwait(false);
        // A note asking for its packs to be overwritten waits for a prune that can overwrite them where they lie.
        var finishable = options.DryRun ? [] : notes.Where(n => !n.Note.WaitFor.Any(held.Contains) && !AwaitsOverwrite(n.Note)).ToList();

        // Snapshots before the index: a backup writes its index files before its snapshot, so every snapshot read
        // here has its blobs in the index read next.
        StepStarted?.Invoke("loading snapshots and index");
        var snapshots = await repository.LoadSnapshotsAsync(null, ct).ConfigureAwait(false);
        var table = new PackTable();
        var indexFiles = await repository.LoadIndexAsync(null, ct, table.Add).ConfigureAwait(false);
        var sizes = await StoredPackSizesAsync(ct).ConfigureAwait(false);
        // Every noted pack's blobs go into the master index after the indexed ones: trees only they hold can be
        // walked, and a blob whose first location is a noted pack is in no indexed one.
        var doomed = await ReadDoomedPacksAsync(notes.SelectMany(n => n.Note.Packs), table, sizes, ct).ConfigureAwait(false);
        var used = new UsedBlobs();
        StepStarted?.Invoke("finding the data in use");
        await used.AddAsync(repository, snapshots, ct).ConfigureAwait(false);
        // A blob found first in an indexed pack that is missing may have its only stored copy in a noted pack: that
        // pack stays (the planner then stops, before anything else is removed). A pack that a note still waiting
        // also names (indexed again, then doomed again by a later prune) is left to that note: an operation it waits
        // for may have used the pack.
        var stillWaited = notes.Except(finishable).SelectMany(n => n.Note.Packs).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, note) in finishable)
            await FinishAsync(name, note with { Packs = [.. note.Packs.Where(p => !stillWaited.Contains(p))] }, doomed, table, sizes, used,
                deleteTheRest: true, sizes.ContainsKey, ct).ConfigureAwait(false);

        var waiting = notes.Except(finishable).ToList();
        var heldBack = waiting.SelectMany(n => n.Note.Packs).Select(p => new PackId(Digest.Parse(p)))
            .Where(p => !table.Contains(p) && doomed.ContainsKey(p)).Distinct().SelectMany(p => doomed[p]);
        var plan = PrunePlanner.Plan(table, used, sizes, options.MaxUnused, options.MaxRepackBytes, heldBack);
        if (options.DryRun || plan.IsEmpty)
            return Result(plan, 0, waiting);

        StepStarted?.Invoke($"repacking {plan.Repack.Count} packs");
        var written = await RepackAsync(plan, ct).ConfigureAwait(false);
        var leaving = plan.Delete.Concat(plan.Repack).ToList();
        var leavingEntries = leaving.ToDictionary(p => p, table.EntriesOf);
        foreach (var pack in leaving)
            table.Remove(pack);
        StepStarted?.Invoke("writing the new index");
        await WriteIndexAsync(table, ct).ConfigureAwait(false);

        // Nothing is deleted before the note that names it exists; the packs leave the index when the old index
        // files go, and the note becomes ready, with the locks an operation that saw them could hold.
        await repository.Storage.CreateAsync(ct).ConfigureAwait(false);
        var noteName = new ObjectName(ObjectKind.Pending, Repo.NewRandomName());
        var newNote = new DeletionNote
        {
            Created = DateTimeOffset.UtcNow,
            Packs = [.. leaving.Select(p => p.ToString())],
            IndexFiles = [.. indexFiles.Select(n => n.Name)],
            Overwrite = options.OverwriteFreed,
        };
        await repository.WriteDeletionNoteAsync(noteName, newNote, ct).ConfigureAwait(false);
        newNote = await RetireIndexFilesAsync(noteName, newNote, ct).ConfigureAwait(false);

        // Backups that ended since the start may have used packs that just left the index: their snapshots are
        // visible now, and those packs are indexed again. With nothing else running, the rest go now.
        StepStarted?.Invoke(newNote.WaitFor.Count == 0 ? $"deleting {leaving.Count} packs" : "looking for packs that backups running now used");
        var known = snapshots.Select(s => s.Id).ToHashSet();
        var newer = (await repository.LoadSnapshotsAsync(null, ct).ConfigureAwait(false)).Where(s => !known.Contains(s.Id)).ToList();
        repository.ResetIndex();
        table = new PackTable();
        await repository.LoadIndexAsync(null, ct, table.Add).ConfigureAwait(false);
        foreach (var (pack, entries) in leavingEntries)
            repository.Index.AddPack(pack, entries);
        // A backup that still held a waiting note's packs in its index may have used them too.
        foreach (var (pack, entries) in doomed)
        {
            if (!table.Contains(pack) && !leavingEntries.ContainsKey(pack))
                repository.Index.AddPack(pack, entries);
        }
        await used.AddAsync(repository, newer, ct).ConfigureAwait(false);
        // Every pack holding data in use is stored by now (the planner stopped otherwise), including this run's copies.
        var left = await FinishAsync(noteName, newNote, leavingEntries, table, sizes, used, deleteTheRest: newNote.WaitFor.Count == 0, static _ => true, ct).ConfigureAwait(false);
        return Result(plan, written, left is null ? waiting : [.. waiting, (noteName, left)]);
    }

    private bool AwaitsOverwrite(DeletionNote note) => note.Overwrite && !repository.Storage.CanOverwriteInPlace;

    private PruneResult Result(PrunePlan plan, long written, List<(ObjectName Name, DeletionNote Note)> waiting)
    {
        var forOperations = waiting.Where(n => !AwaitsOverwrite(n.Note)).ToList();
        return new()
        {
            Plan = plan,
            DryRun = options.DryRun,
            PacksWritten = written,
            PacksDeleted = _deleted.Count,
            BytesDeleted = _bytesDeleted,
            PacksKept = _packsKept,
            NotesWaiting = forOperations.Count,
            PacksWaiting = forOperations.Sum(n => n.Note.Packs.Count),
            WaitingFor = [.. forOperations.SelectMany(n => n.Note.WaitFor).Distinct(StringComparer.Ordinal)
                .Select(name => _heldBy.TryGetValue(name, out var who) ? who : $"locks/{name}")],
            PacksAwaitingOverwrite = waiting.Where(n => AwaitsOverwrite(n.Note)).Sum(n => n.Note.Packs.Count),
        };
    }

    /// <summary>
    /// Stops before anything changes when the store refuses deletions (an append-only server): deleting a name
    /// that does not exist succeeds everywhere else.
    /// </summary>
    private async Task ProbeDeletionAsync(CancellationToken ct)
    {
        try
        {
            await repository.Storage.DeleteAsync(new ObjectName(ObjectKind.Pending, Repo.NewRandomName()), ct).ConfigureAwait(false);
        }
        catch (StorageException e) when (e.Kind == StorageErrorKind.Permanent)
        {
            throw new CairnException(ErrorKind.StoragePermanent, $"prune needs to delete, and the store refuses: {e.Message}; nothing was changed",
                "prune with an account that may delete; an append-only repository is pruned by its owner, see docs/SERVER.md");
        }
    }

    /// <summary>
    /// Names of the lock files held by running operations other than this prune. A lock file that cannot be read
    /// counts as held (nothing says its operation ended) until 'cairn unlock' removes it; each is remembered with a
    /// description for the result.
    /// </summary>
    private async Task<HashSet<string>> HeldLocksAsync(CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, info) in await RepositoryLock.ListAsync(repository.Storage, repository.Keys, ct).ConfigureAwait(false))
        {
            if (name == ownLock || (info is not null && info.IsStale(now)))
                continue;
            held.Add(name.Name);
            _heldBy[name.Name] = info is null
                ? $"an unreadable lock file {name} ('cairn unlock' removes it)"
                : $"{info.Operation} (PID {info.Pid} on {info.Host}, since {info.Time:u})";
        }
        return held;
    }

    private async Task<Dictionary<PackId, long>> StoredPackSizesAsync(CancellationToken ct)
    {
        var sizes = new Dictionary<PackId, long>();
        await foreach (var o in repository.Storage.ListAsync(ObjectKind.Pack, ct).ConfigureAwait(false))
        {
            if (Digest.TryParse(o.Name.Name, out var d))
                sizes[new PackId(d)] = o.Length;
        }
        return sizes;
    }

    /// <summary>
    /// Removes the index files a note replaced (their packs are in the index files written before the note), then
    /// records the locks held now and marks the note ready.
    /// </summary>
    private async Task<DeletionNote> RetireIndexFilesAsync(ObjectName name, DeletionNote note, CancellationToken ct)
    {
        StepStarted?.Invoke($"removing {note.IndexFiles.Count} replaced index files");
        foreach (var file in note.IndexFiles)
            await repository.Storage.DeleteAsync(new ObjectName(ObjectKind.Index, file), ct).ConfigureAwait(false);
        var ready = note with { Ready = true, WaitFor = [.. await HeldLocksAsync(ct).ConfigureAwait(false)] };
        await repository.WriteDeletionNoteAsync(name, ready, ct).ConfigureAwait(false);
        return ready;
    }

    /// <summary>
    /// Reads the headers of the doomed packs no index names and adds them to the master index after every indexed
    /// pack, so that trees only they hold can be walked, and a blob whose first location is one of them is in no
    /// other pack.
    /// </summary>
    private async Task<Dictionary<PackId, IReadOnlyList<PackEntry>>> ReadDoomedPacksAsync(IEnumerable<string> packs, PackTable table,
        Dictionary<PackId, long> sizes, CancellationToken ct)
    {
        var doomed = new Dictionary<PackId, IReadOnlyList<PackEntry>>();
        foreach (var text in packs)
        {
            var pack = new PackId(Digest.Parse(text));
            if (table.Contains(pack) || !sizes.TryGetValue(pack, out var length) || doomed.ContainsKey(pack))
                continue;
            try
            {
                var entries = await repository.ReadPackHeaderAsync(pack, length, ct).ConfigureAwait(false);
                doomed[pack] = entries;
                repository.Index.AddPack(pack, entries);
            }
            catch (RepositoryCorruptException)
            {
                // Its blobs are unknown, so it is deleted only when it holds nothing but zeros (a prune was killed
                // between overwriting it and deleting it); otherwise it stays for 'check' to report.
                _unreadable.Add(pack);
            }
        }
        return doomed;
    }

    /// <summary>
    /// Indexes again each pack of a note that holds a blob in use found in no other pack (a backup deduplicated
    /// against it) or found first in a pack <paramref name="isStored"/> says is missing. With
    /// <paramref name="deleteTheRest"/> (no operation that saw the packs runs any more) the other packs are deleted,
    /// then the note, and null is returned; otherwise the note, less the packs indexed again.
    /// </summary>
    private async Task<DeletionNote?> FinishAsync(ObjectName name, DeletionNote note, IReadOnlyDictionary<PackId, IReadOnlyList<PackEntry>> doomed, PackTable table,
        Dictionary<PackId, long> sizes, UsedBlobs used, bool deleteTheRest, Func<PackId, bool> isStored, CancellationToken ct)
    {
        var keep = new List<(PackId, IReadOnlyList<PackEntry>)>();
        var delete = new List<PackId>();
        var zeroed = new List<PackId>();
        foreach (var text in note.Packs)
        {
            var pack = new PackId(Digest.Parse(text));
            if (table.Contains(pack))
                continue; // indexed again
            if (!doomed.TryGetValue(pack, out var entries))
            {
                if (deleteTheRest && _unreadable.Contains(pack) && await HoldsOnlyZerosAsync(pack, sizes[pack], ct).ConfigureAwait(false))
                    zeroed.Add(pack);
                continue; // already gone, or unreadable
            }
            if (NotedPacks.HoldsTheOnlyCopyOfAnyOf(repository, pack, entries, used, isStored))
                keep.Add((pack, entries));
            else
                delete.Add(pack);
        }
        if (keep.Count > 0)
        {
            await repository.WriteIndexAsync(keep, ct).ConfigureAwait(false);
            foreach (var (pack, entries) in keep)
                table.Add(pack, entries);
            _packsKept += keep.Count;
        }
        if (!deleteTheRest)
        {
            if (keep.Count == 0)
                return note;
            var rest = note with { Packs = [.. delete.Select(p => p.ToString())] };
            await repository.WriteDeletionNoteAsync(name, rest, ct).ConfigureAwait(false);
            return rest;
        }
        foreach (var pack in delete.Concat(zeroed))
        {
            if ((options.OverwriteFreed || note.Overwrite) && repository.Storage.CanOverwriteInPlace && !zeroed.Contains(pack))
                await repository.Storage.OverwriteWithZerosAsync(Repo.PackName(pack), ct).ConfigureAwait(false);
            await repository.Storage.DeleteAsync(Repo.PackName(pack), ct).ConfigureAwait(false);
            if (_deleted.Add(pack))
                _bytesDeleted += sizes.GetValueOrDefault(pack);
        }
        await repository.Storage.DeleteAsync(name, ct).ConfigureAwait(false);
        return null;
    }

    /// <summary>True when every byte of the stored pack is zero: it holds no data at all.</summary>
    private async Task<bool> HoldsOnlyZerosAsync(PackId pack, long length, CancellationToken ct)
    {
        var buffer = BufferPool.Shared.Rent(1 << 20);
        try
        {
            for (long offset = 0; offset < length; offset += buffer.Length)
            {
                var part = buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - offset));
                await repository.Storage.ReadExactlyAsync(Repo.PackName(pack), offset, part, ct).ConfigureAwait(false);
                if (part.Span.ContainsAnyExcept((byte)0))
                    return false;
            }
            return true;
        }
        finally
        {
            BufferPool.Shared.Return(buffer);
        }
    }

    /// <summary>Copies the blobs in use of each pack into new packs (with their index files); returns how many it wrote.</summary>
    private async Task<long> RepackAsync(PrunePlan plan, CancellationToken ct)
    {
        if (plan.Repack.Count == 0)
            return 0;
        var compression = CompressionSetting.Parse(repository.Config.Compression);
        await using var writer = new BlobWriter(repository, compression, Math.Max(1, Environment.ProcessorCount), verifyDedup: false, ct, dedupAgainstIndex: false);
        foreach (var pack in plan.Repack)
        {
            var entries = plan.RepackBlobs[pack];
            var name = Repo.PackName(pack);
            var length = (int)entries.Max(e => (long)e.Offset + e.StoredLength);
            var content = BufferPool.Shared.Rent(length);
            try
            {
                await repository.Storage.ReadExactlyAsync(name, 0, content.AsMemory(0, length), ct).ConfigureAwait(false);
                foreach (var entry in entries)
                {
                    var plain = BufferPool.Shared.Rent((int)entry.RawLength);
                    try
                    {
                        BlobCodec.OpenInto(repository.Keys, entry, content.AsSpan((int)entry.Offset, (int)entry.StoredLength), plain.AsSpan(0, (int)entry.RawLength), name.ToString());
                    }
                    catch
                    {
                        BufferPool.Shared.Return(plain);
                        throw;
                    }
                    await writer.SaveAsync(entry.Type, entry.Id, plain, (int)entry.RawLength, ct).ConfigureAwait(false);
                }
            }
            finally
            {
                BufferPool.Shared.Return(content);
            }
        }
        await writer.FlushAsync(ct).ConfigureAwait(false);
        return writer.Statistics.PacksWritten;
    }

    /// <summary>Writes index files naming every pack of the table.</summary>
    private Task WriteIndexAsync(PackTable table, CancellationToken ct) =>
        repository.WriteIndexFilesAsync(table.Packs.Select(p => (p, table.EntriesOf(p))), ct);
}
