using System.Security.Cryptography;
using System.Text.Json;
using Cairn.Core.Crypto;
using Cairn.Core.Format;
using Cairn.Storage;

namespace Cairn.Core.Repository;

/// <summary>
/// An open repository: its configuration, keys and index over a store. The only type that touches
/// <see cref="IStorage"/> for repository objects; everything above works through it or its role interfaces.
/// </summary>
public sealed partial class Repository : IBlobLoader, IAsyncDisposable
{
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
