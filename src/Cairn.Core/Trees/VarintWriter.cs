using Cairn.Core.Platform;

namespace Cairn.Core.Trees;

/// <summary>Appends LEB128 varints and tagged fields to a growing buffer.</summary>
internal sealed class VarintWriter(int capacity)
{
    private byte[] _buffer = new byte[Math.Max(capacity, 16)];
    private int _length;

    public void WriteUInt(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[_length++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _buffer[_length++] = (byte)value;
    }

    public void WriteUIntField(uint tag, ulong value)
    {
        WriteUInt(tag);
        WriteUInt((ulong)VarintLength(value));
        WriteUInt(value);
    }

    /// <summary>Raw bytes, without a length.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }

    public void WriteBytesField(uint tag, ReadOnlySpan<byte> value)
    {
        WriteUInt(tag);
        WriteUInt((ulong)value.Length);
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }

    /// <summary>A time as zig-zag seconds then nanoseconds.</summary>
    public void WriteTimeField(uint tag, PosixTime time)
    {
        var seconds = ZigZag(time.Seconds);
        WriteUInt(tag);
        WriteUInt((ulong)(VarintLength(seconds) + VarintLength(time.Nanoseconds)));
        WriteUInt(seconds);
        WriteUInt(time.Nanoseconds);
    }

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    private static ulong ZigZag(long v) => (ulong)((v << 1) ^ (v >> 63));

    private static int VarintLength(ulong value)
    {
        var n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }
        return n;
    }

    private void Ensure(int more)
    {
        if (_length + more > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
    }
}
