using System.Buffers.Binary;
using System.Text;

namespace Cairn.Core.Export;

/// <summary>
/// Fills a 512-byte tar header block: the fields of the POSIX ustar layout, the old GNU layout's extra fields
/// (atime, ctime, the sparse map and the real size), and the checksum.
/// </summary>
public sealed class TarBlock
{
    /// <summary>The size of every tar block.</summary>
    public const int Size = 512;

    /// <summary>The type flags Cairn writes.</summary>
    public const byte Regular = (byte)'0', HardLink = (byte)'1', Symlink = (byte)'2', CharDevice = (byte)'3', BlockDevice = (byte)'4',
        Directory = (byte)'5', Fifo = (byte)'6', PaxHeader = (byte)'x', GnuLongName = (byte)'L', GnuLongLink = (byte)'K', GnuSparseFile = (byte)'S';

    /// <summary>How many sparse entries the old GNU header holds, and each extension block.</summary>
    public const int SparseInHeader = 4, SparseInExtension = 21;

    private readonly byte[] _bytes = new byte[Size];

    /// <summary>The block's bytes (after <see cref="Seal"/>).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Starts a POSIX ustar header (magic "ustar\0", version "00").</summary>
    public static TarBlock Ustar(byte type)
    {
        var block = new TarBlock();
        "ustar\0"u8.CopyTo(block._bytes.AsSpan(257));
        "00"u8.CopyTo(block._bytes.AsSpan(263));
        block._bytes[156] = type;
        return block;
    }

    /// <summary>Starts an old GNU header (magic "ustar ", version " \0").</summary>
    public static TarBlock Gnu(byte type)
    {
        var block = new TarBlock();
        "ustar  \0"u8.CopyTo(block._bytes.AsSpan(257));
        block._bytes[156] = type;
        return block;
    }

    /// <summary>The name field (truncated to 100 bytes).</summary>
    public TarBlock Name(ReadOnlySpan<byte> name) => Text(0, 100, name);

    /// <summary>The link target field (truncated to 100 bytes).</summary>
    public TarBlock LinkName(ReadOnlySpan<byte> target) => Text(157, 100, target);

    /// <summary>The ustar prefix field.</summary>
    public TarBlock Prefix(ReadOnlySpan<byte> prefix) => Text(345, 155, prefix);

    /// <summary>The owner names (truncated to 32 bytes).</summary>
    public TarBlock Owners(string? user, string? group)
    {
        Text(265, 32, Encoding.UTF8.GetBytes(user ?? ""));
        return Text(297, 32, Encoding.UTF8.GetBytes(group ?? ""));
    }

    /// <summary>The numeric fields every header has.</summary>
    public TarBlock Numbers(uint mode, uint uid, uint gid, long size, long mtime)
    {
        Number(100, 8, mode & 0xFFF);
        Number(108, 8, uid);
        Number(116, 8, gid);
        Number(124, 12, size);
        return Number(136, 12, mtime);
    }

    /// <summary>The device number fields.</summary>
    public TarBlock Device(ulong rdev)
    {
        Number(329, 8, (long)(rdev >> 32));
        return Number(337, 8, (long)(rdev & 0xFFFFFFFF));
    }

    /// <summary>Old GNU: access and change times in seconds.</summary>
    public TarBlock GnuTimes(long atime, long ctime)
    {
        Number(345, 12, atime);
        return Number(357, 12, ctime);
    }

    /// <summary>Old GNU sparse: up to four map entries in the header, the real size, and whether extension blocks follow.</summary>
    public TarBlock GnuSparse(ReadOnlySpan<(long Offset, long Length)> entries, long realSize, bool extended)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            Number(386 + i * 24, 12, entries[i].Offset);
            Number(386 + i * 24 + 12, 12, entries[i].Length);
        }
        _bytes[482] = extended ? (byte)1 : (byte)0;
        return Number(483, 12, realSize);
    }

    /// <summary>An old GNU sparse extension block: up to 21 more map entries.</summary>
    public static byte[] GnuSparseExtension(ReadOnlySpan<(long Offset, long Length)> entries, bool extended)
    {
        var block = new TarBlock();
        for (var i = 0; i < entries.Length; i++)
        {
            block.Number(i * 24, 12, entries[i].Offset);
            block.Number(i * 24 + 12, 12, entries[i].Length);
        }
        block._bytes[504] = extended ? (byte)1 : (byte)0;
        return block._bytes;
    }

    /// <summary>True when <paramref name="value"/> fits an octal field of <paramref name="width"/> bytes.</summary>
    public static bool FitsOctal(long value, int width) => value >= 0 && value < 1L << (3 * (width - 1));

    /// <summary>Computes the checksum; the block is then ready to write.</summary>
    public ReadOnlySpan<byte> Seal()
    {
        _bytes.AsSpan(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in _bytes)
            sum += b;
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0'), _bytes.AsSpan(148));
        _bytes[154] = 0;
        _bytes[155] = (byte)' ';
        return _bytes;
    }

    private TarBlock Text(int offset, int width, ReadOnlySpan<byte> value)
    {
        value[..Math.Min(value.Length, width)].CopyTo(_bytes.AsSpan(offset, width));
        return this;
    }

    /// <summary>Octal with a terminating NUL when it fits, otherwise GNU's base-256 (big-endian, high bit set).</summary>
    private TarBlock Number(int offset, int width, long value)
    {
        var field = _bytes.AsSpan(offset, width);
        if (FitsOctal(value, width))
        {
            Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(width - 1, '0'), field);
            field[width - 1] = 0;
            return this;
        }
        field.Fill(value < 0 ? (byte)0xFF : (byte)0);
        BinaryPrimitives.WriteInt64BigEndian(field[(width - 8)..], value);
        field[0] = (byte)(value < 0 ? 0xFF : 0x80);
        return this;
    }
}
