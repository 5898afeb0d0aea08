using System.Text;

namespace Cairn.Core.Tests.Archive;

/// <summary>Hand-made ustar/pax archives for the cases real tar will not write (global headers overridden per entry, damage).</summary>
internal sealed class TarBuilder
{
    private readonly MemoryStream _archive = new();

    /// <summary>Adds a header (edited by <paramref name="edit"/> before its checksum is set) and its data.</summary>
    public TarBuilder Entry(string name, char type, byte[]? data = null, Action<byte[]>? edit = null)
    {
        data ??= [];
        var header = new byte[512];
        Encoding.UTF8.GetBytes(name).CopyTo(header, 0);
        Octal(header, 100, 8, 0x1A4);
        Octal(header, 108, 8, 1000);
        Octal(header, 116, 8, 1000);
        Octal(header, 124, 12, data.Length);
        Octal(header, 136, 12, 1_700_000_000);
        header[156] = (byte)type;
        "ustar\0"u8.CopyTo(header.AsSpan(257));
        "00"u8.CopyTo(header.AsSpan(263));
        "alice"u8.CopyTo(header.AsSpan(265));
        "staff"u8.CopyTo(header.AsSpan(297));
        edit?.Invoke(header);
        SetChecksum(header);
        _archive.Write(header);
        _archive.Write(data);
        _archive.Write(new byte[(512 - data.Length % 512) % 512]);
        return this;
    }

    /// <summary>Adds a PAX header of type 'x' (this entry) or 'g' (every entry after it).</summary>
    public TarBuilder Pax(char type, params (string Key, byte[] Value)[] records)
    {
        var data = new MemoryStream();
        foreach (var (key, value) in records)
        {
            var body = Encoding.UTF8.GetByteCount(key) + value.Length + 3; // ' ', '=', '\n'
            var length = body + body.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
            if (length.ToString(System.Globalization.CultureInfo.InvariantCulture).Length != body.ToString(System.Globalization.CultureInfo.InvariantCulture).Length)
                length++;
            data.Write(Encoding.ASCII.GetBytes($"{length} {key}="));
            data.Write(value);
            data.WriteByte((byte)'\n');
        }
        return Entry("PaxHeader", type, data.ToArray());
    }

    public byte[] Finish(bool endMarker = true)
    {
        if (endMarker)
            _archive.Write(new byte[1024]);
        return _archive.ToArray();
    }

    public static void Octal(byte[] header, int at, int length, long value) =>
        Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(length - 1, '0') + "\0").CopyTo(header, at);

    public static void SetChecksum(byte[] header)
    {
        header.AsSpan(148, 8).Fill((byte)' ');
        var sum = header.Sum(b => (long)b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
    }
}
