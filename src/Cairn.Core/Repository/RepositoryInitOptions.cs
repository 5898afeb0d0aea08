using Cairn.Core.Crypto;
using Cairn.Core.Format;

namespace Cairn.Core.Repository;

/// <summary>Choices fixed when a repository is created.</summary>
public sealed record RepositoryInitOptions
{
    /// <summary>Chunk sizes.</summary>
    public ChunkerParameters Chunker { get; init; } = ChunkerParameters.Default;
    /// <summary>Target pack size in bytes.</summary>
    public int PackSize { get; init; } = 16 * 1024 * 1024;
    /// <summary>Encryption, or authenticated plaintext.</summary>
    public CipherSuite Cipher { get; init; } = CipherSuite.Aes256Gcm;
    /// <summary>Argon2id cost for the first key.</summary>
    public KdfParameters Kdf { get; init; } = KdfParameters.Default;
    /// <summary>Default compression of backups.</summary>
    public string Compression { get; init; } = "auto";
    /// <summary>Another repository's ID keys (<see cref="KeyRing.ExportIdKeys"/>), so that both chunk and name blobs alike.</summary>
    public byte[]? SharedIdKeys { get; init; }
}
