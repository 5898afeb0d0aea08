using System.Buffers.Binary;

namespace Cairn.Core.Format;

/// <summary>A 32-byte hash value: the identity of blobs, packs, indexes and snapshots.</summary>
public readonly record struct Digest
{
    /// <summary>The length of a digest in bytes.</summary>
    public const int Length = 32;

    private readonly ulong _a, _b, _c, _d;

    /// <summary>Reads a digest from the first 32 bytes of <paramref name="bytes"/>.</summary>
    public Digest(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Length)
            throw new ArgumentException("a digest needs 32 bytes", nameof(bytes));
        _a = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
        _d = BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]);
    }

    /// <summary>Writes the 32 bytes to <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    /// <summary>The 32 bytes as a new array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>The lower-case hexadecimal form (64 characters).</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>The first 8 hex characters, as shown to people.</summary>
    public string Short => ToString()[..8];

    /// <summary>Parses 64 hex characters.</summary>
    public static Digest Parse(string hex)
    {
        if (!TryParse(hex, out var digest))
            throw new FormatException($"'{hex}' is not a 64-character hexadecimal ID");
        return digest;
    }

    /// <summary>Parses 64 hex characters, returning false on anything else.</summary>
    public static bool TryParse(string? hex, out Digest digest)
    {
        digest = default;
        if (hex is null || hex.Length != Length * 2)
            return false;
        Span<byte> bytes = stackalloc byte[Length];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Length)
            return false;
        digest = new Digest(bytes);
        return true;
    }

    /// <summary>An unkeyed BLAKE3 hash, used to name files after their stored bytes (<see cref="ContentHasher"/> for content in pieces).</summary>
    public static Digest OfContent(ReadOnlySpan<byte> content)
    {
        var hash = Blake3.Hasher.Hash(content);
        return new Digest(hash.AsSpan());
    }

    /// <inheritdoc/>
    public override int GetHashCode() => (int)_a ^ (int)(_a >> 32);

    /// <inheritdoc/>
    public bool Equals(Digest other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;
}
