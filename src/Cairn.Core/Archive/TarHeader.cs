using System.Text;
using Cairn.Core.Platform;

namespace Cairn.Core.Archive;

/// <summary>
/// The fields of one 512-byte tar header block, in any of its dialects: v7, POSIX ustar (with the name prefix;
/// star's shorter prefix too) and GNU (access and change times, the old sparse map). Numbers are octal or, where
/// GNU needed more room, base-256. Parsing throws <see cref="FormatException"/> on a field that makes no sense.
/// </summary>
internal sealed class TarHeader
{
    /// <summary>The size of a header, and the unit archives are padded to.</summary>
    public const int BlockSize = 512;

    /// <summary>Sparse entries in a GNU header; a GNU extension block holds <see cref="SparseEntriesPerExtension"/>.</summary>
    public const int SparseEntriesInHeader = 4;
    public const int SparseEntriesPerExtension = 21;
    /// <summary>A sparse entry: a 12-byte offset, then a 12-byte length.</summary>
    public const int SparseEntryLength = 24;
    /// <summary>Where an extension block says whether another follows.</summary>
    public const int ExtensionIsExtendedAt = 504;

    private const int ChecksumAt = 148;
    private const int ChecksumLength = 8;
    private const int TypeFlagAt = 156;
    private const int MagicAt = 257;
    private const int PrefixAt = 345;
    private const int PrefixLength = 155;
    private const int StarPrefixLength = 131;
    private const int SparseAt = 386;
    private const int IsExtendedAt = 482;

    private static ReadOnlySpan<byte> UstarMagic => "ustar\0"u8;
    private static ReadOnlySpan<byte> GnuMagic => "ustar  \0"u8;
    private static ReadOnlySpan<byte> StarTrailer => "tar\0"u8;

    public required byte[] Name { get; init; }
    public required byte TypeFlag { get; init; }
    public uint Mode { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public long Size { get; init; }
    public long Mtime { get; init; }
    public byte[] LinkName { get; init; } = [];
    public string? UserName { get; init; }
    public string? GroupName { get; init; }
    public uint DeviceMajor { get; init; }
    public uint DeviceMinor { get; init; }
    /// <summary>True for GNU's dialect (magic <c>ustar  \0</c>), which has the fields below.</summary>
    public bool IsGnu { get; init; }
    public long? GnuAtime { get; init; }
    public long? GnuCtime { get; init; }
    /// <summary>The old GNU sparse map's entries in the header itself (type <c>S</c>).</summary>
    public List<FileExtent> GnuSparse { get; init; } = [];
    /// <summary>True when extension blocks with more sparse entries follow the header.</summary>
    public bool GnuIsExtended { get; init; }
    /// <summary>A GNU sparse file's real size.</summary>
    public long GnuRealSize { get; init; }

    /// <summary>True when every byte of <paramref name="block"/> is zero (the end-of-archive marker).</summary>
    public static bool IsZero(ReadOnlySpan<byte> block) => !block.ContainsAnyExcept((byte)0);

    /// <summary>
    /// True when the checksum field matches the sum of the header's bytes (the field itself counted as spaces),
    /// summed as unsigned bytes or, as some old writers did, as signed ones.
    /// </summary>
    public static bool ChecksumMatches(ReadOnlySpan<byte> block)
    {
        long stored;
        try
        {
            stored = Number(block.Slice(ChecksumAt, ChecksumLength), "checksum");
        }
        catch (FormatException)
        {
            return false;
        }
        long unsigned = 0, signed = 0;
        for (var i = 0; i < BlockSize; i++)
        {
            var b = i is >= ChecksumAt and < ChecksumAt + ChecksumLength ? (byte)' ' : block[i];
            unsigned += b;
            signed += (sbyte)b;
        }
        return stored == unsigned || stored == signed;
    }

    /// <summary>Parses a header whose checksum matched.</summary>
    public static TarHeader Parse(ReadOnlySpan<byte> block)
    {
        var gnu = block.Slice(MagicAt, GnuMagic.Length).SequenceEqual(GnuMagic);
        var ustar = !gnu && block.Slice(MagicAt, UstarMagic.Length).SequenceEqual(UstarMagic);
        var name = Bytes(block[..100]);
        if (ustar)
        {
            var star = block.Slice(508, 4).SequenceEqual(StarTrailer);
            var prefix = Bytes(block.Slice(PrefixAt, star ? StarPrefixLength : PrefixLength));
            if (prefix.Length > 0)
                name = [.. prefix, (byte)'/', .. name];
        }
        var typeFlag = block[TypeFlagAt];
        var sparse = new List<FileExtent>();
        if (gnu && typeFlag == (byte)'S')
            ReadSparseEntries(block.Slice(SparseAt, SparseEntriesInHeader * SparseEntryLength), sparse);
        return new TarHeader
        {
            Name = name,
            TypeFlag = typeFlag,
            Mode = (uint)(Number(block.Slice(100, 8), "mode") & 0xFFF),
            Uid = Id(block.Slice(108, 8), "uid"),
            Gid = Id(block.Slice(116, 8), "gid"),
            Size = NonNegative(block.Slice(124, 12), "size"),
            Mtime = Number(block.Slice(136, 12), "mtime"),
            LinkName = Bytes(block.Slice(157, 100)),
            UserName = gnu || ustar ? Text(block.Slice(265, 32)) : null,
            GroupName = gnu || ustar ? Text(block.Slice(297, 32)) : null,
            DeviceMajor = gnu || ustar ? Id(block.Slice(329, 8), "devmajor") : 0,
            DeviceMinor = gnu || ustar ? Id(block.Slice(337, 8), "devminor") : 0,
            IsGnu = gnu,
            GnuAtime = gnu && block[345] != 0 ? Number(block.Slice(345, 12), "atime") : null,
            GnuCtime = gnu && block[357] != 0 ? Number(block.Slice(357, 12), "ctime") : null,
            GnuSparse = sparse,
            GnuIsExtended = gnu && typeFlag == (byte)'S' && block[IsExtendedAt] != 0,
            GnuRealSize = gnu && typeFlag == (byte)'S' ? NonNegative(block.Slice(483, 12), "realsize") : 0,
        };
    }

    /// <summary>Adds the sparse entries (offset, length) of a header's or extension block's map area; an empty entry ends it.</summary>
    public static void ReadSparseEntries(ReadOnlySpan<byte> area, List<FileExtent> into)
    {
        for (var at = 0; at + SparseEntryLength <= area.Length; at += SparseEntryLength)
        {
            if (area[at] == 0)
                return;
            into.Add(new FileExtent(NonNegative(area.Slice(at, 12), "sparse offset"), NonNegative(area.Slice(at + 12, 12), "sparse length")));
        }
    }

    /// <summary>
    /// A numeric field: octal digits (leading spaces allowed, ended by a space or NUL), or GNU's base-256, a
    /// big-endian two's complement number marked by the first byte's top bit.
    /// </summary>
    public static long Number(ReadOnlySpan<byte> field, string what)
    {
        if (field.Length > 0 && (field[0] & 0x80) != 0)
        {
            long value = (sbyte)(field[0] << 1) >> 1; // the low 7 bits, sign-extended
            foreach (var b in field[1..])
            {
                if (value > long.MaxValue >> 8 || value < long.MinValue >> 8)
                    throw new FormatException($"{what} does not fit in 64 bits");
                value = (value << 8) | b;
            }
            return value;
        }
        var i = 0;
        while (i < field.Length && field[i] == (byte)' ')
            i++;
        long result = 0;
        for (; i < field.Length && field[i] is >= (byte)'0' and <= (byte)'7'; i++)
        {
            if (result > long.MaxValue >> 3)
                throw new FormatException($"{what} does not fit in 64 bits");
            result = (result << 3) | (uint)(field[i] - '0');
        }
        for (; i < field.Length; i++)
        {
            if (field[i] is not (0 or (byte)' '))
                throw new FormatException($"{what} field '{PathBytes.Display(field.TrimEnd((byte)0))}' is not a number");
        }
        return result;
    }

    private static long NonNegative(ReadOnlySpan<byte> field, string what)
    {
        var value = Number(field, what);
        return value >= 0 ? value : throw new FormatException($"{what} is negative");
    }

    private static uint Id(ReadOnlySpan<byte> field, string what)
    {
        var value = Number(field, what);
        return value is >= 0 and <= uint.MaxValue ? (uint)value : throw new FormatException($"{what} {value} is out of range");
    }

    /// <summary>A string field's bytes up to the first NUL.</summary>
    public static byte[] Bytes(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return (end < 0 ? field : field[..end]).ToArray();
    }

    private static string? Text(ReadOnlySpan<byte> field)
    {
        var bytes = Bytes(field);
        return bytes.Length == 0 ? null : Encoding.UTF8.GetString(bytes);
    }
}
