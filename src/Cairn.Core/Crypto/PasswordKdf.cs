using NSec.Cryptography;

namespace Cairn.Core.Crypto;

/// <summary>Derives a key-encryption key from a password with Argon2id (libsodium through NSec).</summary>
public static class PasswordKdf
{
    /// <summary>Length of the salt stored in key files.</summary>
    public const int SaltLength = 16;

    /// <summary>Derives 32 bytes from <paramref name="password"/> and <paramref name="salt"/>.</summary>
    public static byte[] DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, KdfParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var algorithm = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
        {
            MemorySize = parameters.MemoryKiB,
            NumberOfPasses = parameters.Iterations,
            DegreeOfParallelism = parameters.Parallelism,
        });
        return algorithm.DeriveBytes(password, salt, 32);
    }
}
