using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

using Cairn.Core.Serialization;

namespace Cairn.Core.Crypto;

/// <summary>
/// One password's copy of the master secret (<c>keys/ID</c>, plain JSON): the Argon2id parameters and salt, and
/// the master secret sealed with AES-256-GCM under the derived key.
/// </summary>
public sealed record KeyFile
{
    private static readonly byte[] Associated = "cairn key v1"u8.ToArray();

    /// <summary>Format version of the key file.</summary>
    [JsonPropertyName("version")] public int Version { get; init; } = 1;
    /// <summary>When the key was added.</summary>
    [JsonPropertyName("created")] public DateTimeOffset Created { get; init; }
    /// <summary>Host the key was added on (informational).</summary>
    [JsonPropertyName("host")] public string Host { get; init; } = "";
    /// <summary>User who added the key (informational).</summary>
    [JsonPropertyName("username")] public string Username { get; init; } = "";
    /// <summary>Always "argon2id" in version 1.</summary>
    [JsonPropertyName("kdf")] public string Kdf { get; init; } = "argon2id";
    /// <summary>The KDF's cost parameters.</summary>
    [JsonPropertyName("kdf_params")] public KdfParameters KdfParams { get; init; } = KdfParameters.Default;
    /// <summary>The KDF salt.</summary>
    [JsonPropertyName("salt")] public byte[] Salt { get; init; } = [];
    /// <summary>nonce ‖ AES-256-GCM(master secret) ‖ tag, with associated data "cairn key v1".</summary>
    [JsonPropertyName("sealed_master")] public byte[] SealedMaster { get; init; } = [];

    /// <summary>Wraps <paramref name="masterSecret"/> under <paramref name="password"/>.</summary>
    public static KeyFile Create(ReadOnlySpan<byte> masterSecret, ReadOnlySpan<byte> password, KdfParameters parameters)
    {
        var salt = RandomNumberGenerator.GetBytes(PasswordKdf.SaltLength);
        var kek = PasswordKdf.DeriveKey(password, salt, parameters);
        try
        {
            using var box = new SealedBox(CipherSuite.Aes256Gcm, kek);
            return new KeyFile
            {
                Created = DateTimeOffset.UtcNow,
                Host = Environment.MachineName,
                Username = Environment.UserName,
                KdfParams = parameters,
                Salt = salt,
                SealedMaster = box.Seal(masterSecret, Associated),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    /// <summary>Unwraps the master secret, or returns null when the password is wrong.</summary>
    public byte[]? TryUnwrap(ReadOnlySpan<byte> password)
    {
        if (Version != 1 || Kdf != "argon2id")
            throw new NotSupportedException($"key file version {Version} with KDF '{Kdf}' is not supported by this version of Cairn");
        if (!KdfParams.IsAcceptable || Salt.Length != PasswordKdf.SaltLength)
            throw new CryptographicException("the key file's KDF parameters are outside the accepted range; it may have been tampered with");
        var kek = PasswordKdf.DeriveKey(password, Salt, KdfParams);
        try
        {
            using var box = new SealedBox(CipherSuite.Aes256Gcm, kek);
            var master = box.TryOpen(SealedMaster, Associated);
            return master is { Length: KeyRing.MasterSecretLength } ? master : null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    /// <summary>Serialises to the stored JSON.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, KeyFileJsonContext.Default.KeyFile);

    /// <summary>Parses stored JSON.</summary>
    public static KeyFile FromJson(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, KeyFileJsonContext.Default.KeyFile) ?? throw new JsonException("empty key file");

    /// <summary>Password bytes as stored: UTF-8 of the string.</summary>
    public static byte[] PasswordBytes(string password) => Encoding.UTF8.GetBytes(password);
}
