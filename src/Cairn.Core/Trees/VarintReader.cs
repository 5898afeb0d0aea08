using Cairn.Core.Platform;

namespace Cairn.Core.Trees;

/// <summary>Reads what <see cref="VarintWriter"/> wrote; throws <see cref="FormatException"/> on malformed input.</summary>
internal ref struct VarintReader(ReadOnlySpan<byte> bytes)
{
    private ReadOnlySpan<byte> _rest = bytes;

    public readonly bool AtEnd => _rest.IsEmpty;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _rest.Length;

    public ulong ReadUInt()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_rest.IsEmpty)
                throw new FormatException("truncated varint");
            var b = _rest[0];
            _rest = _rest[1..];
            if (shift == 63 && b > 1)
                throw new FormatException("varint overflows 64 bits");
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
                return value;
        }
        throw new FormatException("varint too long");
    }

    public ReadOnlySpan<byte> ReadBytes(int length)
    {
        if (length < 0 || length > _rest.Length)
            throw new FormatException("field length out of range");
        var value = _rest[..length];
        _rest = _rest[length..];
        return value;
    }

    public PosixTime ReadTime()
    {
        var z = ReadUInt();
        var seconds = (long)(z >> 1) ^ -(long)(z & 1);
        var nanos = ReadUInt();
        if (nanos >= 1_000_000_000)
            throw new FormatException("nanoseconds out of range");
        return new PosixTime(seconds, (uint)nanos);
    }
}
