namespace Cairn.Core.Crypto;

/// <summary>The authenticated encryption used for every stored object; recorded in each object's header.</summary>
public enum CipherSuite : byte
{
    /// <summary>AES-256-GCM, 96-bit random nonce, 128-bit tag.</summary>
    Aes256Gcm = 1,
    /// <summary>No encryption, but authenticated: a keyed BLAKE3 tag still detects every alteration.</summary>
    AuthenticatedPlaintext = 2,
}
