using System.Security.Cryptography;
using Cairn.Core.Buffers;
using System.Text.Json;
using Cairn.Core.Crypto;
using Cairn.Core.Format;
using Cairn.Core.Serialization;
using Cairn.Core.Snapshots;
using Cairn.Core.Trees;
using Cairn.Storage;

namespace Cairn.Core.Repository;

/// <summary>
/// An open repository: its configuration, keys and index over a store. The only type that touches
/// <see cref="IStorage"/> for repository objects; everything above works through it or its role interfaces.
/// </summary>
public sealed class Repository : IBlobLoader, IAsyncDisposable
{
    // Decoded tree entries kept for walks that come back (~50 MB at most): a whole snapshot of 100,000 files fits,
    // so that find across snapshots loads the trees they share once.
    private const int TreeCacheNodes = 128 * 1024;
    // Blobs that lie close together in a pack are read in one request of at most this many bytes (a larger blob
    // alone): big enough to amortise a request, small enough that parallel readers hold little memory.
    private const int MaxReadRun = 4 * 1024 * 1024;
    private readonly TreeCache _trees = new(TreeCacheNodes);

    private Repository(IStorage storage, RepositoryConfig config, KeyRing keys, string keyName)
    {
        Storage = storage;
        Config = config;
        Keys = keys;
        KeyName = keyName;
    }

    /// <summary>The store holding the repository.</summary>
    public IStorage Storage { get; }
    /// <summary>The configuration.</summary>
    public RepositoryConfig Config { get; }
    /// <summary>The keys derived from the master secret.</summary>
    public KeyRing Keys { get; }
    /// <summary>The key file that opened the repository.</summary>
    public string KeyName { get; }
    /// <inheritdoc/>
    public MasterIndex Index { get; private set; } = new();

    /// <summary>Creates a new repository in an empty store.</summary>
    public static async Task<Repository> InitAsync(IStorage storage, ReadOnlyMemory<byte> password, RepositoryInitOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(options);
        options.Chunker.Validate();
        // Creating is safe to repeat and comes first: a bucket must exist before anything can be looked up in it.
        await storage.CreateAsync(ct).ConfigureAwait(false);
        if (await storage.StatAsync(ObjectName.Config, ct).ConfigureAwait(false) is not null)
            throw new CairnException(ErrorKind.InvalidInput, $"{storage.Location} already holds a repository");
        await foreach (var _ in storage.ListAsync(ObjectKind.Key, ct).ConfigureAwait(false))
            throw new CairnException(ErrorKind.InvalidInput, $"{storage.Location} already holds repository keys but no config; refusing to overwrite");
        var master = KeyRing.NewMasterSecret();
        try
        {
            var keys = new KeyRing(master, options.Cipher);
            string? idKeys = null;
            if (options.SharedIdKeys is { } shared)
            {
                keys.ImportIdKeys(shared);
                idKeys = Convert.ToBase64String(Envelope.Seal(keys, EnvelopeType.IdKeys, KeyDomain.Data, shared, compress: false));
            }
            var keyFile = KeyFile.Create(master, password.Span, options.Kdf);
            var keyName = NewRandomName();
            var config = new RepositoryConfig
            {
                Id = NewRandomName(),
                Created = DateTimeOffset.UtcNow,
                Chunker = options.Chunker,
                PackSize = options.PackSize,
                Compression = options.Compression,
                IdKeys = idKeys,
            };
            // Keys first, config last: a store with a config always has a key that opens it.
            await storage.WriteAsync(new ObjectName(ObjectKind.Key, keyName), keyFile.ToJson(), ct).ConfigureAwait(false);
            var sealedConfig = Envelope.Seal(keys, EnvelopeType.Config, KeyDomain.Metadata, config.ToJson());
            await storage.WriteAsync(ObjectName.Config, sealedConfig, ct).ConfigureAwait(false);
            return new Repository(storage, config, keys, keyName);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(master);
        }
    }

    /// <summary>Opens a repository with a password, trying every key.</summary>
    /// <exception cref="CairnException">Not a repository, or the password opens no key.</exception>
    public static async Task<Repository> OpenAsync(IStorage storage, ReadOnlyMemory<byte> password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        byte[] sealedConfig;
        try
        {
            sealedConfig = await storage.ReadAllAsync(ObjectName.Config, ct).ConfigureAwait(false);
        }
        catch (StorageException e) when (e.Kind == StorageErrorKind.NotFound)
        {
            throw new CairnException(ErrorKind.RepositoryNotFound, $"{storage.Location} is not a Cairn repository (no config found)",
                "check the path, or create one with 'cairn init'");
        }
        if (sealedConfig.Length < Envelope.HeaderLength)
            throw new RepositoryCorruptException("config", "the file is truncated");
        var suite = (CipherSuite)sealedConfig[6];
        if (suite is not (CipherSuite.Aes256Gcm or CipherSuite.AuthenticatedPlaintext))
            throw new RepositoryCorruptException("config", $"unknown cipher suite {sealedConfig[6]}");

        var keyNames = new List<string>();
        await foreach (var key in storage.ListAsync(ObjectKind.Key, ct).ConfigureAwait(false))
            keyNames.Add(key.Name.Name);
        keyNames.Sort(StringComparer.Ordinal);
        foreach (var keyName in keyNames)
        {
            KeyFile keyFile;
            try
            {
                keyFile = KeyFile.FromJson(await storage.ReadAllAsync(new ObjectName(ObjectKind.Key, keyName), ct).ConfigureAwait(false));
            }
            catch (JsonException)
            {
                continue; // a damaged key file cannot open anything; another key may
            }
            byte[]? master;
            try
            {
                master = keyFile.TryUnwrap(password.Span);
            }
            catch (Exception e) when (e is CryptographicException or NotSupportedException or ArgumentException)
            {
                continue;
            }
            if (master is null)
                continue;
            try
            {
                var keys = new KeyRing(master, suite);
                var config = RepositoryConfig.FromJson(Envelope.Open(keys, EnvelopeType.Config, sealedConfig, "config"));
                if (config.Version is < 1 or > RepositoryConfig.CurrentVersion)
                    throw new CairnException(ErrorKind.InvalidInput, $"repository format version {config.Version} is newer than this Cairn supports ({RepositoryConfig.CurrentVersion})", "upgrade Cairn");
                config.Chunker.Validate();
                if (config.IdKeys is { } idKeys)
                {
                    var shared = OpenIdKeys(keys, idKeys);
                    keys.ImportIdKeys(shared);
                    CryptographicOperations.ZeroMemory(shared);
                }
                return new Repository(storage, config, keys, keyName);
            }
            catch (JsonException e)
            {
                throw new RepositoryCorruptException("config", "does not parse", e);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(master);
            }
        }
        if (keyNames.Count == 0)
            throw new CairnException(ErrorKind.RepositoryCorrupt, $"{storage.Location} has a config but no key files");
        throw new CairnException(ErrorKind.WrongPassword, "wrong password: no key of the repository opens with it");
    }

    /// <summary>
    /// Loads every index file, in parallel, and returns the names of those it loaded. A damaged index file fails the
    /// load, unless <paramref name="onDamaged"/> is given: then it is reported there and the others are still loaded.
    /// An index file that a prune removed between the listing and the read was replaced by files written before it
    /// went: the listing is taken again and whatever is new is loaded, until a pass misses nothing.
    /// <paramref name="onPack"/>, when given, sees every pack entry of every file (duplicates too).
    /// </summary>
    public async Task<List<ObjectName>> LoadIndexAsync(Action<ObjectName, RepositoryCorruptException>? onDamaged = null, CancellationToken ct = default,
        Action<PackId, List<PackEntry>>? onPack = null)
    {
        var attempted = new HashSet<ObjectName>();
        var loaded = new List<ObjectName>();
        var gate = new Lock();
        while (true)
        {
            var names = (await ListAsync(ObjectKind.Index, ct).ConfigureAwait(false)).Where(attempted.Add).ToList();
            var vanished = 0;
            await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (name, token) =>
            {
                try
                {
                    var stored = await Storage.ReadAllAsync(name, token).ConfigureAwait(false);
                    CheckContentName(name, stored);
                    IndexFormat.Decode(Keys, stored, name.ToString(), (pack, entries) =>
                    {
                        Index.AddPack(pack, entries);
                        if (onPack is not null)
                        {
                            lock (gate)
                                onPack(pack, entries);
                        }
                    });
                    lock (gate)
                        loaded.Add(name);
                }
                catch (StorageException e) when (e.Kind == StorageErrorKind.NotFound)
                {
                    Interlocked.Increment(ref vanished);
                }
                catch (RepositoryCorruptException e) when (onDamaged is not null)
                {
                    onDamaged(name, e);
                }
            }).ConfigureAwait(false);
            if (vanished == 0 || names.Count == 0)
                return loaded;
        }
    }

    /// <summary>Forgets every index entry, so that <see cref="LoadIndexAsync"/> starts afresh.</summary>
    public void ResetIndex()
    {
        Index = new MasterIndex(); // trees are named by their content: the tree cache stays valid
    }

    /// <summary>The names of all objects of one kind.</summary>
    public async Task<List<ObjectName>> ListAsync(ObjectKind kind, CancellationToken ct = default)
    {
        var names = new List<ObjectName>();
        await foreach (var o in Storage.ListAsync(kind, ct).ConfigureAwait(false))
            names.Add(o.Name);
        return names;
    }

    /// <summary>Writes one index file describing the given packs; returns its name.</summary>
    public async Task<ObjectName> WriteIndexAsync(IReadOnlyList<(PackId Pack, IReadOnlyList<PackEntry> Entries)> packs, CancellationToken ct = default)
    {
        var stored = IndexFormat.Encode(Keys, packs);
        var name = new ObjectName(ObjectKind.Index, Digest.OfContent(stored).ToString());
        await Storage.WriteAsync(name, stored, ct).ConfigureAwait(false);
        return name;
    }

    /// <summary>Writes index files naming the given packs, batched as backups write them (<see cref="IndexFileSize"/>); returns their names.</summary>
    public async Task<List<ObjectName>> WriteIndexFilesAsync(IEnumerable<(PackId Pack, IReadOnlyList<PackEntry> Entries)> packs, CancellationToken ct = default)
    {
        var names = new List<ObjectName>();
        foreach (var batch in IndexFileSize.Batches(packs))
            names.Add(await WriteIndexAsync(batch, ct).ConfigureAwait(false));
        return names;
    }

    /// <inheritdoc/>
    public async Task<byte[]> LoadBlobAsync(BlobId id, CancellationToken ct = default)
    {
        if (!Index.TryGet(id, out var entry))
            throw new RepositoryCorruptException($"blob {id.Digest.Short}", "is referenced but not in any index (missing data)");
        var pack = Index.PackOf(entry);
        var name = PackName(pack);
        var sealedBytes = new byte[entry.StoredLength];
        try
        {
            await Storage.ReadExactlyAsync(name, entry.Offset, sealedBytes, ct).ConfigureAwait(false);
        }
        catch (StorageException e) when (e.Kind is StorageErrorKind.NotFound or StorageErrorKind.Permanent)
        {
            throw new RepositoryCorruptException(name.ToString(), $"cannot read blob {id.Digest.Short}: {e.Message}", e);
        }
        return BlobCodec.Open(Keys, new PackEntry(id, entry.Type, entry.Compression, entry.Offset, entry.StoredLength, entry.RawLength), sealedBytes, name.ToString());
    }

    /// <inheritdoc/>
    public BlobId IdOf(BlobType type, ReadOnlySpan<byte> plaintext) => Keys.BlobIdOf(type, plaintext);

    /// <inheritdoc/>
    public async Task ReadPackBlobsAsync(PackId pack, IReadOnlyList<BlobId> blobs, Func<BlobId, ReadOnlyMemory<byte>, ValueTask> onBlob,
        Action<BlobId, Exception> onFailure, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(onBlob);
        ArgumentNullException.ThrowIfNull(onFailure);
        var name = PackName(pack);
        var located = new List<(BlobId Id, IndexEntry Entry)>(blobs.Count);
        var named = new HashSet<BlobId>(blobs.Count);
        foreach (var id in blobs)
        {
            if (!named.Add(id))
                continue;
            if (Index.TryGet(id, out var e))
                located.Add((id, e));
            else
                onFailure(id, new RepositoryCorruptException($"blob {id.Digest.Short}", "is not in any index"));
        }
        located.Sort(static (a, b) => a.Entry.Offset.CompareTo(b.Entry.Offset));
        // Read runs of blobs that lie close together in one request: gaps under 1 MiB are cheaper to read than to skip.
        var i = 0;
        while (i < located.Count)
        {
            var j = i + 1;
            long end = located[i].Entry.Offset + located[i].Entry.StoredLength;
            while (j < located.Count && located[j].Entry.Offset - end < 1024 * 1024 && located[j].Entry.Offset + located[j].Entry.StoredLength - located[i].Entry.Offset <= MaxReadRun)
            {
                end = Math.Max(end, located[j].Entry.Offset + located[j].Entry.StoredLength);
                j++;
            }
            long start = located[i].Entry.Offset;
            var length = (int)(end - start);
            var run = BufferPool.Shared.Rent(length);
            try
            {
                StorageException? failed = null;
                try
                {
                    await Storage.ReadExactlyAsync(name, start, run.AsMemory(0, length), ct).ConfigureAwait(false);
                }
                catch (StorageException e) when (e.Kind is StorageErrorKind.NotFound or StorageErrorKind.Permanent)
                {
                    failed = e;
                }
                long opened = start; // blobs are opened in place: one that overlaps the last opened (a damaged index) is read on its own
                for (var k = i; k < j; k++)
                {
                    var (id, entry) = located[k];
                    if (failed is null && entry.Offset >= opened)
                    {
                        await OpenAndDeliverAsync(name, id, entry, run.AsMemory((int)(entry.Offset - start), (int)entry.StoredLength), onBlob, onFailure).ConfigureAwait(false);
                        opened = entry.Offset + entry.StoredLength;
                    }
                    else if (failed is null)
                        await ReadOneAsync(name, id, entry, onBlob, onFailure, ct).ConfigureAwait(false);
                    else if (failed.Kind == StorageErrorKind.NotFound || j - i == 1)
                        onFailure(id, new RepositoryCorruptException(name.ToString(), failed.Message, failed));
                    else
                        await ReadOneAsync(name, id, entry, onBlob, onFailure, ct).ConfigureAwait(false); // a damaged spot (a truncated end, a bad sector) fails only the blobs it touches
                }
            }
            finally
            {
                BufferPool.Shared.Return(run);
            }
            i = j;
        }
    }

    /// <summary>Reads one blob of a pack by itself, after the run it was in could not be read whole.</summary>
    private async Task ReadOneAsync(ObjectName name, BlobId id, IndexEntry entry, Func<BlobId, ReadOnlyMemory<byte>, ValueTask> onBlob,
        Action<BlobId, Exception> onFailure, CancellationToken ct)
    {
        var stored = BufferPool.Shared.Rent((int)entry.StoredLength);
        try
        {
            await Storage.ReadExactlyAsync(name, entry.Offset, stored.AsMemory(0, (int)entry.StoredLength), ct).ConfigureAwait(false);
            await OpenAndDeliverAsync(name, id, entry, stored.AsMemory(0, (int)entry.StoredLength), onBlob, onFailure).ConfigureAwait(false);
        }
        catch (StorageException e) when (e.Kind is StorageErrorKind.NotFound or StorageErrorKind.Permanent)
        {
            onFailure(id, new RepositoryCorruptException(name.ToString(), e.Message, e));
        }
        finally
        {
            BufferPool.Shared.Return(stored);
        }
    }

    /// <summary>
    /// Opens one sealed blob where it lies in <paramref name="sealedBytes"/> (its body is decrypted in place) and hands
    /// its plaintext to <paramref name="onBlob"/>; one that fails to open, to <paramref name="onFailure"/>.
    /// </summary>
    private async Task OpenAndDeliverAsync(ObjectName name, BlobId id, IndexEntry entry, Memory<byte> sealedBytes,
        Func<BlobId, ReadOnlyMemory<byte>, ValueTask> onBlob, Action<BlobId, Exception> onFailure)
    {
        Memory<byte> plain;
        byte[]? rented;
        try
        {
            plain = BlobCodec.OpenInPlace(Keys, new PackEntry(id, entry.Type, entry.Compression, entry.Offset, entry.StoredLength, entry.RawLength),
                sealedBytes, name.ToString(), out rented);
        }
        catch (RepositoryCorruptException e)
        {
            onFailure(id, e);
            return;
        }
        try
        {
            await onBlob(id, plain).ConfigureAwait(false);
        }
        finally
        {
            if (rented is not null)
                BufferPool.Shared.Return(rented);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Node>> LoadTreeAsync(BlobId id, CancellationToken ct = default) => LoadTreeAsync(id, cache: true, ct);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Node>> LoadTreeOnceAsync(BlobId id, CancellationToken ct = default) => LoadTreeAsync(id, cache: false, ct);

    private async Task<IReadOnlyList<Node>> LoadTreeAsync(BlobId id, bool cache, CancellationToken ct)
    {
        if (_trees.TryGet(id, out var cached))
            return cached;
        var bytes = await LoadBlobAsync(id, ct).ConfigureAwait(false);
        var nodes = TreeCodec.Decode(bytes, $"tree {id.Digest.Short}");
        if (cache)
            _trees.Add(id, nodes);
        return nodes;
    }

    /// <summary>Reads a pack's header: the blobs it holds.</summary>
    public async Task<List<PackEntry>> ReadPackHeaderAsync(PackId pack, long packLength, CancellationToken ct = default)
    {
        var name = PackName(pack);
        var trailer = new byte[PackFormat.TrailerLength];
        if (packLength < PackFormat.TrailerLength)
            throw new RepositoryCorruptException(name.ToString(), "pack is truncated");
        await Storage.ReadExactlyAsync(name, packLength - PackFormat.TrailerLength, trailer, ct).ConfigureAwait(false);
        var (offset, length) = PackFormat.ParseTrailer(trailer, packLength, name.ToString());
        var header = new byte[length];
        await Storage.ReadExactlyAsync(name, offset, header, ct).ConfigureAwait(false);
        return PackFormat.DecodeHeader(Keys, header, offset, name.ToString());
    }

    /// <summary>
    /// Indexes packs that no index names — left by a backup that was killed after uploading them — so that the
    /// next backup reuses their blobs instead of uploading them again. Returns how many packs it indexed.
    /// </summary>
    public async Task<int> IndexOrphanPacksAsync(CancellationToken ct = default)
    {
        HashSet<PackId> doomed;
        try
        {
            doomed = await PacksAwaitingDeletionAsync(ct).ConfigureAwait(false);
        }
        catch (RepositoryCorruptException)
        {
            return 0; // which orphans a prune doomed is unknown: indexing none is always safe ('check' names the note)
        }
        var orphans = new List<StoredObject>();
        await foreach (var o in Storage.ListAsync(ObjectKind.Pack, ct).ConfigureAwait(false))
        {
            if (Digest.TryParse(o.Name.Name, out var d) && !Index.ContainsPack(new PackId(d)) && !doomed.Contains(new PackId(d)))
                orphans.Add(o);
        }
        var recovered = new List<(PackId, IReadOnlyList<PackEntry>)>();
        foreach (var o in orphans)
        {
            var pack = new PackId(Digest.Parse(o.Name.Name));
            try
            {
                var entries = await ReadPackHeaderAsync(pack, o.Length, ct).ConfigureAwait(false);
                recovered.Add((pack, entries));
            }
            catch (Exception e) when (e is RepositoryCorruptException or StorageException)
            {
                // A damaged orphan holds nothing a snapshot refers to; check reports it, prune will remove it.
            }
        }
        if (recovered.Count == 0)
            return 0;
        await WriteIndexAsync(recovered, ct).ConfigureAwait(false);
        foreach (var (pack, entries) in recovered)
            Index.AddPack(pack, entries);
        return recovered.Count;
    }

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

    /// <summary>Takes a lock for an operation; see <see cref="RepositoryLock"/>.</summary>
    public Task<RepositoryLock> LockAsync(bool exclusive, string operation, CancellationToken ct = default) =>
        RepositoryLock.AcquireAsync(Storage, Keys, exclusive, operation, ct);

    private static byte[] OpenIdKeys(KeyRing keys, string sealedBase64)
    {
        try
        {
            var opened = Envelope.Open(keys, EnvelopeType.IdKeys, Convert.FromBase64String(sealedBase64), "config (id_keys)");
            return opened.Length == KeyRing.IdKeysLength ? opened : throw new RepositoryCorruptException("config", "id_keys has the wrong length");
        }
        catch (FormatException e)
        {
            throw new RepositoryCorruptException("config", "id_keys is not base64", e);
        }
    }

    /// <summary>The object name of a pack.</summary>
    public static ObjectName PackName(PackId pack) => new(ObjectKind.Pack, pack.ToString());

    /// <summary>Checks that a content-addressed object's bytes hash to its name.</summary>
    public static void CheckContentName(ObjectName name, ReadOnlySpan<byte> stored)
    {
        if (!Digest.TryParse(name.Name, out var expected) || Digest.OfContent(stored) != expected)
            throw new RepositoryCorruptException(name.ToString(), "content does not match its name (the file was altered or damaged)");
    }

    /// <summary>A random 64-hex-character name for keys, locks and repository IDs.</summary>
    public static string NewRandomName() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Keys.Dispose();
        await Storage.DisposeAsync().ConfigureAwait(false);
    }
}
