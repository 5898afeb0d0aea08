using System.Globalization;
using System.Text;
using Cairn.Core.Platform;
using Cairn.Core.Trees;

namespace Cairn.Core.Archive;

/// <summary>
/// The records of PAX extended headers (<c>LENGTH KEY=VALUE\n</c>), values kept as raw bytes: those of one
/// entry's <c>x</c> headers, or those of the <c>g</c> headers that hold for every entry after them. Extended
/// attributes (<c>SCHILY.xattr.NAME</c>) and sparse 0.0 maps (<c>GNU.sparse.offset</c>/<c>numbytes</c> pairs,
/// whose order matters) are kept apart from the other keys, where the last record of a key wins.
/// </summary>
internal sealed class PaxAttributes
{
    private const string XattrPrefix = "SCHILY.xattr.";

    private readonly Dictionary<string, byte[]> _values = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, ExtendedAttribute> _xattrs = new(StringComparer.Ordinal);
    private readonly List<FileExtent> _sparsePairs = [];
    private long? _pendingSparseOffset;

    /// <summary>Extended attributes, sorted by name bytes.</summary>
    public IEnumerable<ExtendedAttribute> Xattrs => _xattrs.Values;

    /// <summary>A sparse 0.0 map's (offset, length) pairs in the order given.</summary>
    public IReadOnlyList<FileExtent> SparsePairs => _sparsePairs;

    /// <summary>True when the key was given, possibly with an empty value (which takes back a global one).</summary>
    public bool TryGet(string key, out byte[] value) => _values.TryGetValue(key, out value!);

    /// <summary>Adds the records of one extended header's data; throws <see cref="FormatException"/> on a malformed one.</summary>
    public void Parse(ReadOnlySpan<byte> data)
    {
        var at = 0;
        while (at < data.Length)
        {
            var rest = data[at..];
            if (!rest.ContainsAnyExcept((byte)0))
                return; // padding some writers leave after the last record
            var space = rest.IndexOf((byte)' ');
            if (space <= 0 || !int.TryParse(rest[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || length <= space + 2 || length > rest.Length || rest[length - 1] != (byte)'\n')
                throw new FormatException($"malformed extended header record at byte {at}");
            var record = rest[(space + 1)..(length - 1)];
            var equals = record.IndexOf((byte)'=');
            if (equals <= 0)
                throw new FormatException($"extended header record without a key at byte {at}");
            Add(record[..equals], record[(equals + 1)..]);
            at += length;
        }
    }

    private void Add(ReadOnlySpan<byte> keyBytes, ReadOnlySpan<byte> value)
    {
        var key = Encoding.UTF8.GetString(keyBytes);
        if (key.StartsWith(XattrPrefix, StringComparison.Ordinal))
        {
            var name = DecodeXattrName(keyBytes[XattrPrefix.Length..]);
            _xattrs[Encoding.Latin1.GetString(name)] = new ExtendedAttribute(name, value.ToArray());
            return;
        }
        switch (key)
        {
            case "GNU.sparse.offset":
                _pendingSparseOffset = Long(value, key);
                return;
            case "GNU.sparse.numbytes":
                if (_pendingSparseOffset is not { } offset)
                    throw new FormatException("GNU.sparse.numbytes without a GNU.sparse.offset before it");
                _sparsePairs.Add(new FileExtent(offset, Long(value, key)));
                _pendingSparseOffset = null;
                return;
        }
        _values[key] = value.ToArray();
    }

    /// <summary>GNU tar writes '=' and '%' in attribute names as %3D and %25 (a key ends at the first '=').</summary>
    private static byte[] DecodeXattrName(ReadOnlySpan<byte> encoded)
    {
        var name = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == (byte)'%' && i + 2 < encoded.Length
                && (encoded.Slice(i + 1, 2).SequenceEqual("3D"u8) || encoded.Slice(i + 1, 2).SequenceEqual("25"u8)))
            {
                name.Add(encoded[i + 1] == (byte)'3' ? (byte)'=' : (byte)'%');
                i += 2;
                continue;
            }
            name.Add(encoded[i]);
        }
        return [.. name];
    }

    /// <summary>A decimal integer value.</summary>
    public static long Long(ReadOnlySpan<byte> value, string key) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n : throw new FormatException($"{key} '{PathBytes.Display(value)}' is not a number");

    /// <summary>
    /// A time as PAX writes it: decimal seconds with an optional fraction, possibly negative
    /// (<c>-1.25</c> is 1.25 s before the epoch: seconds -2, nanoseconds 750,000,000).
    /// </summary>
    public static PosixTime Time(ReadOnlySpan<byte> value, string key)
    {
        var negative = value.Length > 0 && value[0] == (byte)'-';
        var digits = negative ? value[1..] : value;
        var dot = digits.IndexOf((byte)'.');
        var whole = dot < 0 ? digits : digits[..dot];
        var fraction = dot < 0 ? [] : digits[(dot + 1)..];
        if (!long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || fraction.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
            throw new FormatException($"{key} '{PathBytes.Display(value)}' is not a time");
        long nanoseconds = 0;
        for (var i = 0; i < 9; i++)
            nanoseconds = nanoseconds * 10 + (i < fraction.Length ? fraction[i] - '0' : 0);
        if (!negative)
            return new PosixTime(seconds, (uint)nanoseconds);
        return nanoseconds == 0 ? new PosixTime(-seconds, 0) : new PosixTime(-seconds - 1, (uint)(1_000_000_000 - nanoseconds));
    }
}
