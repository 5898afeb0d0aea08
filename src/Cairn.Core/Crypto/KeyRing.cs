using System.Security.Cryptography;
using System.Text;
using Cairn.Core.Format;

namespace Cairn.Core.Crypto;

/// <summary>
/// The keys derived from a repository's 64-byte master secret with HKDF-SHA-256, one per <see cref="KeyDomain"/>
/// (docs/FORMAT.md, "Key hierarchy").
/// </summary>
public sealed class KeyRing : IDisposable
{
    /// <summary>Length of the master secret.</summary>
    public const int MasterSecretLength = 64;

    private readonly byte[] _chunkIdKey;
    private readonly byte[] _treeIdKey;
    private readonly byte[] _chunkerSeed;
    private readonly SealedBox?[] _boxes = new SealedBox?[(int)KeyDomain.TreeId + 1]; // by domain: every blob looks one up

    /// <summary>Derives every domain key from <paramref name="masterSecret"/>.</summary>
    public KeyRing(ReadOnlySpan<byte> masterSecret, CipherSuite suite)
    {
        if (masterSecret.Length != MasterSecretLength)
            throw new ArgumentException("the master secret is 64 bytes", nameof(masterSecret));
        Suite = suite;
        _chunkIdKey = Derive(masterSecret, KeyDomain.ChunkId);
        _treeIdKey = Derive(masterSecret, KeyDomain.TreeId);
        _chunkerSeed = Derive(masterSecret, KeyDomain.Chunker);
        foreach (var domain in new[] { KeyDomain.Data, KeyDomain.Metadata, KeyDomain.SnapshotSummary })
        {
            var key = Derive(masterSecret, domain);
            _boxes[(int)domain] = new SealedBox(suite, key);
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Length of the keys <see cref="ExportIdKeys"/> returns: chunk-ID, chunker and tree-ID keys, 32 bytes each.</summary>
    public const int IdKeysLength = 96;

    /// <summary>The chunk-ID, chunker and tree-ID keys, for a repository that is to chunk and name blobs alike (<c>init --copy-chunker-params</c>).</summary>
    public byte[] ExportIdKeys() => [.. _chunkIdKey, .. _chunkerSeed, .. _treeIdKey];

    /// <summary>Uses another repository's chunk-ID, chunker and tree-ID keys instead of those derived from the master secret.</summary>
    public void ImportIdKeys(ReadOnlySpan<byte> keys)
    {
        if (keys.Length != IdKeysLength)
            throw new ArgumentException($"the ID keys are {IdKeysLength} bytes", nameof(keys));
        keys[..32].CopyTo(_chunkIdKey);
        keys[32..64].CopyTo(_chunkerSeed);
        keys[64..].CopyTo(_treeIdKey);
    }

    /// <summary>The cipher every domain uses.</summary>
    public CipherSuite Suite { get; }

    /// <summary>The secret seed of the chunker's gear table.</summary>
    public ReadOnlySpan<byte> ChunkerSeed => _chunkerSeed;

    /// <summary>The box that seals objects of a domain.</summary>
    public SealedBox Box(KeyDomain domain) => (int)domain < _boxes.Length && _boxes[(int)domain] is { } box
        ? box
        : throw new ArgumentOutOfRangeException(nameof(domain), $"{domain} has no encryption key");

    /// <summary>
    /// The blob ID of a plaintext: keyed BLAKE3 with the chunk-ID key for data, the tree-ID key for trees, so that
    /// a file chunk can never share a blob (and a key domain) with a tree.
    /// </summary>
    public BlobId BlobIdOf(BlobType type, ReadOnlySpan<byte> plaintext)
    {
        var key = type == BlobType.Tree ? _treeIdKey : _chunkIdKey;
        Span<byte> digest = stackalloc byte[Digest.Length];
        if (KeyedBlake3.IsSupported && plaintext.Length <= KeyedBlake3.MaxLength)
        {
            KeyedBlake3.Hash(key, plaintext, digest);
            return new BlobId(new Digest(digest));
        }
        using var hasher = Blake3.Hasher.NewKeyed(key);
        hasher.Update(plaintext);
        hasher.Finalize(digest);
        return new BlobId(new Digest(digest));
    }

    /// <summary>Creates a new random master secret.</summary>
    public static byte[] NewMasterSecret() => RandomNumberGenerator.GetBytes(MasterSecretLength);

    private static byte[] Derive(ReadOnlySpan<byte> master, KeyDomain domain)
    {
        var info = Encoding.ASCII.GetBytes($"cairn v1 {DomainLabel(domain)}");
        var key = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, master, key, salt: ReadOnlySpan<byte>.Empty, info);
        return key;
    }

    /// <summary>The HKDF info label of a domain, as documented in FORMAT.md.</summary>
    public static string DomainLabel(KeyDomain domain) => domain switch
    {
        KeyDomain.ChunkId => "chunk-id",
        KeyDomain.Chunker => "chunker",
        KeyDomain.Data => "data",
        KeyDomain.Metadata => "metadata",
        KeyDomain.SnapshotSummary => "snapshot-summary",
        KeyDomain.TreeId => "tree-id",
        _ => throw new ArgumentOutOfRangeException(nameof(domain)),
    };

    /// <inheritdoc/>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_chunkIdKey);
        CryptographicOperations.ZeroMemory(_treeIdKey);
        CryptographicOperations.ZeroMemory(_chunkerSeed);
        foreach (var box in _boxes)
            box?.Dispose();
    }
}
