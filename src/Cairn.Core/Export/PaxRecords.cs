using System.Globalization;
using System.Text;
using Cairn.Core.Platform;

namespace Cairn.Core.Export;

/// <summary>
/// The body of a PAX extended header: records <c>"LENGTH KEY=VALUE\n"</c>, where LENGTH counts the whole record
/// in decimal, itself included, and the value is raw bytes (binary attribute values and non-UTF-8 names as they are).
/// </summary>
public sealed class PaxRecords
{
    private readonly MemoryStream _body = new();

    /// <summary>True when no record was added.</summary>
    public bool IsEmpty => _body.Length == 0;

    /// <summary>The records' bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _body.GetBuffer().AsSpan(0, (int)_body.Length);

    /// <summary>Adds a record with a raw value.</summary>
    public PaxRecords Add(string key, ReadOnlySpan<byte> value)
    {
        var keyLength = Encoding.UTF8.GetByteCount(key);
        var rest = 1 + keyLength + 1 + value.Length + 1; // " KEY=VALUE\n"
        var length = rest + 1;
        while (length != rest + Digits(length))
            length = rest + Digits(length);
        _body.Write(Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture) + " "));
        _body.Write(Encoding.UTF8.GetBytes(key));
        _body.WriteByte((byte)'=');
        _body.Write(value);
        _body.WriteByte((byte)'\n');
        return this;
    }

    /// <summary>Adds a record with a text value.</summary>
    public PaxRecords Add(string key, string value) => Add(key, Encoding.UTF8.GetBytes(value));

    /// <summary>Adds a record with a whole number.</summary>
    public PaxRecords Add(string key, long value) => Add(key, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds a time with nanoseconds, e.g. <c>1600000000.123456789</c> or <c>-12345677.000000001</c>.</summary>
    public PaxRecords Add(string key, PosixTime time) => Add(key, FormatTime(time));

    /// <summary>A time as seconds with a decimal fraction: negative times count back from the epoch.</summary>
    public static string FormatTime(PosixTime time)
    {
        if (time.Nanoseconds == 0)
            return time.Seconds.ToString(CultureInfo.InvariantCulture);
        if (time.Seconds >= 0)
            return string.Create(CultureInfo.InvariantCulture, $"{time.Seconds}.{time.Nanoseconds:D9}");
        // -12345678 s + 999999999 ns is -12345677.000000001 s.
        var whole = -(time.Seconds + 1);
        return string.Create(CultureInfo.InvariantCulture, $"-{whole}.{1_000_000_000 - time.Nanoseconds:D9}");
    }

    private static int Digits(int n) => n.ToString(CultureInfo.InvariantCulture).Length;
}
