using System.Text.Json;
using Cairn.Core.Crypto;
using Cairn.Core.Format;
using Cairn.Core.Serialization;
using Cairn.Core.Snapshots;
using Cairn.Storage;

namespace Cairn.Core.Repository;

/// <summary>The small objects a repository keeps beside packs and indexes: snapshots, prune's deletion notes, holds and stored retention policies.</summary>
public sealed partial class Repository
{
    /// <summary>Every deletion note of prune, with its name; a note that cannot be read fails the load.</summary>
    public async Task<List<(ObjectName Name, DeletionNote Note)>> LoadDeletionNotesAsync(CancellationToken ct = default) =>
        await LoadJsonObjectsAsync(ObjectKind.Pending, EnvelopeType.DeletionNote, FormatJsonContext.Default.DeletionNote, ct).ConfigureAwait(false);

    /// <summary>The packs that deletion notes name: no index may bring them back.</summary>
    public async Task<HashSet<PackId>> PacksAwaitingDeletionAsync(CancellationToken ct = default)
    {
        var packs = new HashSet<PackId>();
        foreach (var (_, note) in await LoadDeletionNotesAsync(ct).ConfigureAwait(false))
        {
            foreach (var pack in note.Packs)
                packs.Add(new PackId(Digest.Parse(pack)));
        }
        return packs;
    }

    /// <summary>Writes (or replaces) a deletion note.</summary>
    public Task WriteDeletionNoteAsync(ObjectName name, DeletionNote note, CancellationToken ct = default) =>
        Storage.WriteAsync(name, Envelope.Seal(Keys, EnvelopeType.DeletionNote, KeyDomain.Metadata,
            JsonSerializer.SerializeToUtf8Bytes(note, FormatJsonContext.Default.DeletionNote)), ct);

    /// <summary>Every hold, with its object name; a hold that cannot be read fails the load (a hold must never be missed).</summary>
    public async Task<List<(ObjectName Name, Retention.Hold Hold)>> LoadHoldsAsync(CancellationToken ct = default) =>
        await LoadJsonObjectsAsync(ObjectKind.Hold, EnvelopeType.Hold, FormatJsonContext.Default.Hold, ct).ConfigureAwait(false);

    /// <summary>Stores a new hold.</summary>
    public async Task<ObjectName> WriteHoldAsync(Retention.Hold hold, CancellationToken ct = default)
    {
        var name = new ObjectName(ObjectKind.Hold, NewRandomName());
        await Storage.WriteAsync(name, Envelope.Seal(Keys, EnvelopeType.Hold, KeyDomain.Metadata,
            JsonSerializer.SerializeToUtf8Bytes(hold, FormatJsonContext.Default.Hold)), ct).ConfigureAwait(false);
        return name;
    }

    /// <summary>Every stored retention policy, by name.</summary>
    public async Task<List<Retention.StoredPolicy>> LoadPoliciesAsync(CancellationToken ct = default) =>
        [.. (await LoadJsonObjectsAsync(ObjectKind.Policy, EnvelopeType.Policy, FormatJsonContext.Default.StoredPolicy, ct).ConfigureAwait(false))
            .Select(p => p.Value).OrderBy(p => p.Name, StringComparer.Ordinal)];

    /// <summary>
    /// Every object of a kind that holds one sealed JSON value, with its name. One removed while listed is skipped;
    /// one that does not open or parse fails the load.
    /// </summary>
    private async Task<List<(ObjectName Name, T Value)>> LoadJsonObjectsAsync<T>(ObjectKind kind, EnvelopeType type,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, CancellationToken ct) where T : class
    {
        var found = new List<(ObjectName, T)>();
        foreach (var name in await ListAsync(kind, ct).ConfigureAwait(false))
        {
            byte[] stored;
            try
            {
                stored = await Storage.ReadAllAsync(name, ct).ConfigureAwait(false);
            }
            catch (StorageException e) when (e.Kind == StorageErrorKind.NotFound)
            {
                continue;
            }
            try
            {
                found.Add((name, JsonSerializer.Deserialize(Envelope.Open(Keys, type, stored, name.ToString()), info) ?? throw new JsonException("empty")));
            }
            catch (JsonException e)
            {
                throw new RepositoryCorruptException(name.ToString(), "does not parse", e);
            }
        }
        return found;
    }

    /// <summary>Stores (or replaces) a retention policy under its name.</summary>
    public Task WritePolicyAsync(Retention.StoredPolicy policy, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return Storage.WriteAsync(new ObjectName(ObjectKind.Policy, policy.Name), Envelope.Seal(Keys, EnvelopeType.Policy, KeyDomain.Metadata,
            JsonSerializer.SerializeToUtf8Bytes(policy, FormatJsonContext.Default.StoredPolicy)), ct);
    }

    /// <summary>Stores a snapshot; the last step of a backup.</summary>
    public async Task<SnapshotId> SaveSnapshotAsync(Snapshot snapshot, CancellationToken ct = default)
    {
        var stored = SnapshotCodec.Encode(Keys, snapshot);
        var id = new SnapshotId(Digest.OfContent(stored));
        await Storage.WriteAsync(new ObjectName(ObjectKind.Snapshot, id.ToString()), stored, ct).ConfigureAwait(false);
        return id;
    }

    /// <summary>Removes a snapshot; the data it refers to stays until it is pruned.</summary>
    public Task DeleteSnapshotAsync(SnapshotId id, CancellationToken ct = default) =>
        Storage.DeleteAsync(new ObjectName(ObjectKind.Snapshot, id.ToString()), ct);

    /// <summary>Loads one snapshot.</summary>
    public async Task<Snapshot> LoadSnapshotAsync(SnapshotId id, CancellationToken ct = default)
    {
        var name = new ObjectName(ObjectKind.Snapshot, id.ToString());
        var stored = await Storage.ReadAllAsync(name, ct).ConfigureAwait(false);
        return SnapshotCodec.Decode(Keys, id, stored, name.ToString());
    }

    /// <summary>The IDs of all snapshots.</summary>
    public async Task<List<SnapshotId>> ListSnapshotIdsAsync(CancellationToken ct = default)
    {
        var ids = new List<SnapshotId>();
        await foreach (var o in Storage.ListAsync(ObjectKind.Snapshot, ct).ConfigureAwait(false))
        {
            if (Digest.TryParse(o.Name.Name, out var d))
                ids.Add(new SnapshotId(d));
        }
        return ids;
    }

    /// <summary>
    /// Loads every snapshot, oldest first. Damaged snapshot files are reported through <paramref name="onDamaged"/>
    /// and skipped, so one bad file does not hide the others.
    /// </summary>
    public async Task<List<Snapshot>> LoadSnapshotsAsync(Action<SnapshotId, RepositoryCorruptException>? onDamaged = null, CancellationToken ct = default)
    {
        var ids = await ListSnapshotIdsAsync(ct).ConfigureAwait(false);
        var result = new Snapshot?[ids.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            try
            {
                result[i] = await LoadSnapshotAsync(ids[i], token).ConfigureAwait(false);
            }
            catch (RepositoryCorruptException e)
            {
                if (onDamaged is null)
                    throw;
                lock (result)
                    onDamaged(ids[i], e);
            }
        }).ConfigureAwait(false);
        return [.. result.OfType<Snapshot>().OrderBy(s => s.Time).ThenBy(s => s.Id.ToString(), StringComparer.Ordinal)];
    }
}
