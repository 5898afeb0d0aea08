using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Cairn.Core.Crypto;

/// <summary>
/// Authenticated encryption of one byte string: <c>nonce (12) ‖ ciphertext ‖ tag (16)</c>.
/// Thread-safe: each thread keeps its own cipher instance.
/// </summary>
public sealed class SealedBox : IDisposable
{
    /// <summary>Length of the random nonce.</summary>
    public const int NonceLength = 12;
    /// <summary>Length of the authentication tag.</summary>
    public const int TagLength = 16;
    /// <summary>Bytes a sealed box adds to its plaintext.</summary>
    public const int Overhead = NonceLength + TagLength;

    private readonly byte[] _key;
    private readonly ThreadLocal<AesGcm>? _aes;

    /// <summary>Creates a box for a 32-byte key.</summary>
    public SealedBox(CipherSuite suite, ReadOnlySpan<byte> key)
    {
        if (key.Length != 32)
            throw new ArgumentException("keys are 32 bytes", nameof(key));
        Suite = suite;
        _key = key.ToArray();
        _aes = suite switch
        {
            CipherSuite.Aes256Gcm => new ThreadLocal<AesGcm>(() => new AesGcm(_key, TagLength), trackAllValues: true),
            CipherSuite.AuthenticatedPlaintext => null,
            _ => throw new ArgumentOutOfRangeException(nameof(suite), $"unknown cipher suite {suite}"),
        };
    }

    /// <summary>The cipher this box uses.</summary>
    public CipherSuite Suite { get; }

    /// <summary>
    /// Seals <paramref name="plaintext"/> into <paramref name="destination"/>, which must hold plaintext + <see cref="Overhead"/>
    /// bytes. The plaintext may already lie where the body goes (at <see cref="NonceLength"/> in the destination): it is
    /// then sealed in place.
    /// </summary>
    public void Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associated, Span<byte> destination)
    {
        if (destination.Length < plaintext.Length + Overhead)
            throw new ArgumentException("destination too small", nameof(destination));
        var nonce = destination[..NonceLength];
        RandomNumberGenerator.Fill(nonce);
        var body = destination.Slice(NonceLength, plaintext.Length);
        var tag = destination.Slice(NonceLength + plaintext.Length, TagLength);
        if (_aes is not null)
        {
            _aes.Value!.Encrypt(nonce, plaintext, body, tag, associated);
            return;
        }
        plaintext.CopyTo(body);
        PlaintextTag(nonce, associated, plaintext, tag);
    }

    /// <summary>Seals into a new array.</summary>
    public byte[] Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associated)
    {
        var result = new byte[plaintext.Length + Overhead];
        Seal(plaintext, associated, result);
        return result;
    }

    /// <summary>Opens a sealed box into <paramref name="plaintext"/> (sealed length − <see cref="Overhead"/> bytes); false when it fails authentication.</summary>
    public bool TryOpen(ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> associated, Span<byte> plaintext) =>
        sealedBytes.Length >= Overhead && plaintext.Length >= sealedBytes.Length - Overhead
        && Open(sealedBytes, associated, plaintext[..(sealedBytes.Length - Overhead)]);

    /// <summary>
    /// Opens a sealed box where it lies: its body (<see cref="NonceLength"/> bytes in, sealed length − <see cref="Overhead"/>
    /// long) is decrypted over its own ciphertext. False when it fails authentication; the body is then cleared.
    /// </summary>
    public bool TryOpenInPlace(Span<byte> sealedBytes, ReadOnlySpan<byte> associated) =>
        sealedBytes.Length >= Overhead && Open(sealedBytes, associated, sealedBytes[NonceLength..^TagLength]);

    /// <summary>Opens into <paramref name="output"/>, which is the body's length and may be the body itself; cleared when authentication fails.</summary>
    private bool Open(ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> associated, Span<byte> output)
    {
        var nonce = sealedBytes[..NonceLength];
        var body = sealedBytes[NonceLength..^TagLength];
        var tag = sealedBytes[^TagLength..];
        if (_aes is not null)
        {
            try
            {
                _aes.Value!.Decrypt(nonce, body, tag, output, associated);
                return true;
            }
            catch (AuthenticationTagMismatchException)
            {
                output.Clear();
                return false;
            }
        }
        Span<byte> expected = stackalloc byte[TagLength];
        PlaintextTag(nonce, associated, body, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, tag))
        {
            output.Clear();
            return false;
        }
        body.CopyTo(output);
        return true;
    }

    /// <summary>Opens into a new array, or returns null when authentication fails.</summary>
    public byte[]? TryOpen(ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> associated)
    {
        if (sealedBytes.Length < Overhead)
            return null;
        var result = new byte[sealedBytes.Length - Overhead];
        return TryOpen(sealedBytes, associated, result) ? result : null;
    }

    private void PlaintextTag(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associated, ReadOnlySpan<byte> body, Span<byte> tag)
    {
        using var hasher = Blake3.Hasher.NewKeyed(_key);
        Span<byte> length = stackalloc byte[8];
        hasher.Update(nonce);
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)associated.Length);
        hasher.Update(length);
        hasher.Update(associated);
        hasher.Update(body);
        hasher.Finalize(tag);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_aes is not null)
        {
            foreach (var aes in _aes.Values)
                aes.Dispose();
            _aes.Dispose();
        }
        CryptographicOperations.ZeroMemory(_key);
    }
}
