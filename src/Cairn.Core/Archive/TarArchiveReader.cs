using System.Text;
using Cairn.Core.Platform;
using Cairn.Core.Trees;

namespace Cairn.Core.Archive;

/// <summary>
/// Reads a tar archive entry by entry, forward only (a pipe will do) and without holding more than one header's
/// metadata: ustar (name prefix), GNU (long names <c>L</c>/<c>K</c>, base-256 numbers, old sparse files
/// <c>S</c>) and PAX (per-entry <c>x</c> and global <c>g</c> headers; path, linkpath, size, ids, names and
/// nanosecond times, <c>SCHILY.xattr.*</c> with raw values, <c>SCHILY.acl.*</c> turned into the kernel's binary
/// ACLs, GNU sparse formats 0.0, 0.1 and 1.0). Names and values stay raw bytes, so names that are not UTF-8 and
/// binary attribute values come through unchanged. Every header's checksum is verified; a damaged or cut-short
/// archive raises a <see cref="CairnException"/> of kind <see cref="ErrorKind.InvalidInput"/>.
/// </summary>
/// <remarks>
/// <see cref="NextAsync"/> skips whatever the caller left unread of the previous entry's data. After the
/// end-of-archive marker the rest of the input (the writer's record padding) is read and dropped, so a writer on
/// the other end of a pipe is never cut off and a compressed stream is checked to its end.
/// </remarks>
public sealed class TarArchiveReader
{
    private const int BlockSize = TarHeader.BlockSize;
    private const int MaxMetadataLength = 16 << 20; // a PAX header or long name larger than this is damage, not metadata

    private readonly Stream _input;
    private readonly byte[] _block = new byte[BlockSize];
    private readonly PaxAttributes _global = new();
    private readonly Func<string, uint?> _userId;
    private readonly Func<string, uint?> _groupId;
    private byte[]? _scratch;
    private long _position;
    private long _dataLeft;
    private long _paddingLeft;
    private TarEntry? _current;
    private bool _ended;
    private int _entries;

    /// <summary>
    /// A reader of the (decompressed) tar archive <paramref name="input"/>, which stays the caller's to dispose.
    /// ACLs that name users and groups are resolved with <paramref name="userId"/> and <paramref name="groupId"/>
    /// (default: this machine's accounts).
    /// </summary>
    public TarArchiveReader(Stream input, Func<string, uint?>? userId = null, Func<string, uint?>? groupId = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        _userId = userId ?? Posix.UserId;
        _groupId = groupId ?? Posix.GroupId;
    }

    /// <summary>Bytes of the archive read so far.</summary>
    public long Position => _position;

    /// <summary>The next entry, or null after the end-of-archive marker.</summary>
    public async ValueTask<TarEntry?> NextAsync(CancellationToken ct = default)
    {
        if (_ended)
            return null;
        if (_dataLeft + _paddingLeft > 0)
            await SkipAsync(_dataLeft + _paddingLeft, ct).ConfigureAwait(false);
        _dataLeft = _paddingLeft = 0;
        _current = null;
        PaxAttributes? pax = null;
        byte[]? longName = null, longLink = null;
        while (true)
        {
            var offset = _position;
            var read = await _input.ReadAtLeastAsync(_block, BlockSize, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            _position += read;
            if (read == 0)
            {
                throw offset == 0
                    ? Invalid("the archive is empty", "give a tar file, or pipe one into 'cairn import -'")
                    : Truncated("it ends without the end-of-archive marker");
            }
            if (read < BlockSize)
                throw Truncated($"it ends inside the header at byte {offset}");
            if (TarHeader.IsZero(_block))
            {
                if (pax is not null || longName is not null || longLink is not null)
                    throw Corrupt($"extended header without an entry before byte {offset}");
                await DrainAsync(ct).ConfigureAwait(false);
                _ended = true;
                return null;
            }
            if (!TarHeader.ChecksumMatches(_block))
            {
                throw _entries == 0 && offset == 0
                    ? Invalid("not a tar archive (nor a gzip- or zstd-compressed one)", "give a tar archive in ustar, pax or GNU format")
                    : Corrupt($"the header at byte {offset} has a wrong checksum");
            }
            var header = Parse(offset);
            switch (header.TypeFlag)
            {
                case (byte)'x':
                    ParsePax(pax ??= new PaxAttributes(), await ReadMetadataAsync(header, offset, ct).ConfigureAwait(false), offset);
                    continue;
                case (byte)'g':
                    ParsePax(_global, await ReadMetadataAsync(header, offset, ct).ConfigureAwait(false), offset);
                    continue;
                case (byte)'L':
                    longName = UpToNul(await ReadMetadataAsync(header, offset, ct).ConfigureAwait(false));
                    continue;
                case (byte)'K':
                    longLink = UpToNul(await ReadMetadataAsync(header, offset, ct).ConfigureAwait(false));
                    continue;
                case (byte)'V': // a GNU volume label names the archive, not a file
                    await SkipAsync(Padded(header.Size), ct).ConfigureAwait(false);
                    pax = null;
                    longName = longLink = null;
                    continue;
            }
            _entries++;
            _current = await EntryAsync(header, offset, pax, longName, longLink, ct).ConfigureAwait(false);
            return _current;
        }
    }

    /// <summary>
    /// Reads the current entry's data into <paramref name="buffer"/>: the file's bytes, or for a sparse file its
    /// data extents one after another. Returns how many bytes it put there, 0 at the end of the entry's data.
    /// </summary>
    public async ValueTask<int> ReadDataAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (_dataLeft == 0 || buffer.IsEmpty)
            return 0;
        var want = (int)Math.Min(buffer.Length, _dataLeft);
        var n = await _input.ReadAsync(buffer[..want], ct).ConfigureAwait(false);
        if (n == 0)
            throw Truncated($"it ends inside the data of {_current?.DisplayPath}");
        _position += n;
        _dataLeft -= n;
        return n;
    }

    private TarHeader Parse(long offset)
    {
        try
        {
            return TarHeader.Parse(_block);
        }
        catch (FormatException e)
        {
            throw Corrupt($"the header at byte {offset}: {e.Message}");
        }
    }

    private void ParsePax(PaxAttributes into, byte[] data, long offset)
    {
        try
        {
            into.Parse(data);
        }
        catch (FormatException e)
        {
            throw Corrupt($"the extended header at byte {offset}: {e.Message}");
        }
    }

    private async Task<TarEntry> EntryAsync(TarHeader header, long offset, PaxAttributes? pax, byte[]? longName, byte[]? longLink, CancellationToken ct)
    {
        var path = Value(pax, "path") ?? longName ?? header.Name;
        // Old (v7) archives mark directories by a trailing slash on an entry of the old regular-file type.
        var type = header.TypeFlag == 0 && path.Length > 0 && path[^1] == (byte)'/' ? TarEntryType.Directory : TypeOf(header.TypeFlag);
        try
        {
            var size = Value(pax, "size") is { } s ? NonNegative(PaxAttributes.Long(s, "size"), "size") : header.Size;
            // Only files (and hard links, which PAX lets carry data) have data; other types' size fields are ignored.
            var stored = type is TarEntryType.File or TarEntryType.HardLink || header.TypeFlag == (byte)'D' ? size : 0;
            _dataLeft = stored;
            _paddingLeft = Padded(stored) - stored;
            var warnings = new List<string>();
            IReadOnlyList<FileExtent>? sparse = null;
            var realSize = size;
            if (header.TypeFlag == (byte)'S')
                (sparse, realSize) = (await GnuSparseMapAsync(header, ct).ConfigureAwait(false), header.GnuRealSize);
            else if (type == TarEntryType.File && SparseFormat(pax) is { } format)
            {
                path = Value(pax, "GNU.sparse.name") ?? path;
                (sparse, realSize) = format == "1.0"
                    ? (await PaxSparseMapAsync(ct).ConfigureAwait(false), Number(pax, "GNU.sparse.realsize") ?? throw new FormatException("GNU.sparse.realsize is missing"))
                    : (format == "0.1" ? MapFromList(Value(pax, "GNU.sparse.map")!) : pax!.SparsePairs,
                        Number(pax, "GNU.sparse.size") ?? Number(pax, "GNU.sparse.realsize") ?? throw new FormatException("GNU.sparse.size is missing"));
            }
            if (sparse is not null)
                sparse = Validated(sparse, realSize, _dataLeft);
            return new TarEntry
            {
                Path = path,
                Type = type,
                TypeFlag = header.TypeFlag,
                LinkTarget = type is TarEntryType.HardLink or TarEntryType.Symlink ? Value(pax, "linkpath") ?? longLink ?? header.LinkName : null,
                Mode = header.Mode,
                Uid = Id(pax, "uid") ?? header.Uid,
                Gid = Id(pax, "gid") ?? header.Gid,
                UserName = Value(pax, "uname") is { } u ? Encoding.UTF8.GetString(u) : header.UserName,
                GroupName = Value(pax, "gname") is { } g ? Encoding.UTF8.GetString(g) : header.GroupName,
                Size = type == TarEntryType.File ? realSize : 0,
                DataLength = type == TarEntryType.File ? _dataLeft : 0,
                Mtime = Time(pax, "mtime") ?? new PosixTime(header.Mtime, 0),
                Atime = Time(pax, "atime") ?? (header.GnuAtime is { } a ? new PosixTime(a, 0) : null),
                Ctime = Time(pax, "ctime") ?? (header.GnuCtime is { } c ? new PosixTime(c, 0) : null),
                DeviceMajor = Id(pax, "SCHILY.devmajor") ?? header.DeviceMajor,
                DeviceMinor = Id(pax, "SCHILY.devminor") ?? header.DeviceMinor,
                Xattrs = Xattrs(pax, warnings),
                SparseMap = sparse,
                Warnings = warnings,
                Offset = offset,
            };
        }
        catch (FormatException e)
        {
            throw Corrupt($"entry {PathBytes.Display(path)} at byte {offset}: {e.Message}");
        }
    }

    private static TarEntryType TypeOf(byte flag) => flag switch
    {
        (byte)'0' or 0 or (byte)'7' or (byte)'S' => TarEntryType.File,
        (byte)'1' => TarEntryType.HardLink,
        (byte)'2' => TarEntryType.Symlink,
        (byte)'3' => TarEntryType.CharDevice,
        (byte)'4' => TarEntryType.BlockDevice,
        (byte)'5' or (byte)'D' => TarEntryType.Directory,
        (byte)'6' => TarEntryType.Fifo,
        _ => TarEntryType.Other,
    };

    /// <summary>"1.0", "0.1" or "0.0" for a file stored in one of GNU's PAX sparse formats, else null.</summary>
    private string? SparseFormat(PaxAttributes? pax)
    {
        if (Value(pax, "GNU.sparse.major") is { } major)
        {
            var version = $"{Encoding.UTF8.GetString(major)}.{(Value(pax, "GNU.sparse.minor") is { } minor ? Encoding.UTF8.GetString(minor) : "0")}";
            return version is "1.0" or "0.1" or "0.0" ? version : throw new FormatException($"GNU sparse format {version} is not supported");
        }
        if (Value(pax, "GNU.sparse.map") is not null)
            return "0.1";
        return pax is { SparsePairs.Count: > 0 } || Value(pax, "GNU.sparse.numblocks") is not null ? "0.0" : null;
    }

    /// <summary>The old GNU sparse map: the header's entries, then those of the extension blocks that follow it.</summary>
    private async Task<List<FileExtent>> GnuSparseMapAsync(TarHeader header, CancellationToken ct)
    {
        var map = new List<FileExtent>(header.GnuSparse);
        var extended = header.GnuIsExtended;
        while (extended)
        {
            var offset = _position;
            var read = await _input.ReadAtLeastAsync(_block, BlockSize, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            _position += read;
            if (read < BlockSize)
                throw Truncated($"it ends inside the sparse map at byte {offset}");
            TarHeader.ReadSparseEntries(_block.AsSpan(0, TarHeader.SparseEntriesPerExtension * TarHeader.SparseEntryLength), map);
            extended = _block[TarHeader.ExtensionIsExtendedAt] != 0;
        }
        return map;
    }

    /// <summary>
    /// Sparse format 1.0's map at the start of the data: decimal numbers one a line (the count, then offset and
    /// length of each extent), padded to a block; what it takes is not file data.
    /// </summary>
    private async Task<List<FileExtent>> PaxSparseMapAsync(CancellationToken ct)
    {
        var numbers = new List<long>();
        long count = -1, current = 0;
        var digits = 0;
        while (count < 0 || numbers.Count < 1 + 2 * count)
        {
            if (_dataLeft < BlockSize)
                throw new FormatException("the sparse map is longer than the entry's data");
            var read = await _input.ReadAtLeastAsync(_block, BlockSize, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            _position += read;
            if (read < BlockSize)
                throw Truncated($"it ends inside the sparse map of the entry before byte {_position}");
            _dataLeft -= BlockSize;
            foreach (var b in _block)
            {
                if (count >= 0 && numbers.Count == 1 + 2 * count)
                    break; // the rest of the block is padding
                if (b is >= (byte)'0' and <= (byte)'9' && digits < 18)
                {
                    current = current * 10 + (b - '0');
                    digits++;
                }
                else if (b == (byte)'\n' && digits > 0)
                {
                    numbers.Add(current);
                    if (numbers.Count == 1)
                        count = current;
                    current = 0;
                    digits = 0;
                }
                else
                    throw new FormatException("the sparse map is not decimal numbers one a line");
            }
        }
        var map = new List<FileExtent>((int)Math.Min(count, 1 << 16));
        for (var i = 0; i < count; i++)
            map.Add(new FileExtent(numbers[1 + 2 * i], numbers[2 + 2 * i]));
        return map;
    }

    /// <summary>Sparse format 0.1's map: offset,length,offset,length,….</summary>
    private static List<FileExtent> MapFromList(byte[] value)
    {
        var parts = Encoding.ASCII.GetString(value).Split(',');
        if (parts.Length % 2 != 0)
            throw new FormatException("GNU.sparse.map has an odd number of values");
        var map = new List<FileExtent>(parts.Length / 2);
        for (var i = 0; i < parts.Length; i += 2)
            map.Add(new FileExtent(PaxAttributes.Long(Encoding.ASCII.GetBytes(parts[i]), "GNU.sparse.map"), PaxAttributes.Long(Encoding.ASCII.GetBytes(parts[i + 1]), "GNU.sparse.map")));
        return map;
    }

    /// <summary>The map's extents without the empty ones, checked to be in order, inside the file and as long as the data stored.</summary>
    private static List<FileExtent> Validated(IReadOnlyList<FileExtent> map, long realSize, long stored)
    {
        var extents = new List<FileExtent>(map.Count);
        long end = 0, total = 0;
        foreach (var e in map)
        {
            if (e.Offset < end || e.Length < 0 || e.Offset > realSize || e.Length > realSize - e.Offset)
                throw new FormatException("the sparse map's extents overlap, are out of order or reach past the file's size");
            if (e.Length == 0)
                continue;
            extents.Add(e);
            end = e.End;
            total += e.Length;
        }
        if (total != stored)
            throw new FormatException($"the sparse map names {total} bytes of data, the entry holds {stored}");
        return extents;
    }

    /// <summary>
    /// The entry's extended attributes: the global ones, then its own (which win); text ACLs become binary ACLs
    /// unless the archive also holds the binary attribute itself (GNU tar stores both with
    /// <c>--xattrs-include='*'</c>), which is then taken as it is.
    /// </summary>
    private List<ExtendedAttribute> Xattrs(PaxAttributes? pax, List<string> warnings)
    {
        var byName = new SortedDictionary<string, ExtendedAttribute>(StringComparer.Ordinal);
        foreach (var x in pax is null ? _global.Xattrs : _global.Xattrs.Concat(pax.Xattrs))
            byName[Encoding.Latin1.GetString(x.Name)] = x;
        foreach (var (key, name) in new[] { ("SCHILY.acl.access", PosixAcl.AccessName.ToArray()), ("SCHILY.acl.default", PosixAcl.DefaultName.ToArray()) })
        {
            var latin = Encoding.Latin1.GetString(name);
            if (Value(pax, key) is not { } text || byName.ContainsKey(latin))
                continue;
            try
            {
                byName[latin] = new ExtendedAttribute(name, PosixAcl.Parse(Encoding.UTF8.GetString(text), _userId, _groupId));
            }
            catch (FormatException e)
            {
                warnings.Add($"{(key.EndsWith("access", StringComparison.Ordinal) ? "ACL" : "default ACL")} not imported: {e.Message}");
            }
        }
        return [.. byName.Values];
    }

    /// <summary>A key's value from the entry's PAX records, else from the global ones; null when absent or emptied.</summary>
    private byte[]? Value(PaxAttributes? pax, string key)
    {
        if (pax is not null && pax.TryGet(key, out var own))
            return own.Length == 0 ? null : own;
        return _global.TryGet(key, out var global) && global.Length > 0 ? global : null;
    }

    private long? Number(PaxAttributes? pax, string key) => Value(pax, key) is { } v ? NonNegative(PaxAttributes.Long(v, key), key) : null;

    private uint? Id(PaxAttributes? pax, string key) => Number(pax, key) is { } n
        ? n <= uint.MaxValue ? (uint)n : throw new FormatException($"{key} {n} is out of range")
        : null;

    private PosixTime? Time(PaxAttributes? pax, string key) => Value(pax, key) is { } v ? PaxAttributes.Time(v, key) : null;

    private static long NonNegative(long value, string key) => value >= 0 ? value : throw new FormatException($"{key} is negative");

    /// <summary>The data of a PAX header or GNU long name, which must be of a sane size.</summary>
    private async Task<byte[]> ReadMetadataAsync(TarHeader header, long offset, CancellationToken ct)
    {
        if (header.Size > MaxMetadataLength)
            throw Corrupt($"the extended header at byte {offset} claims {header.Size} bytes");
        var data = new byte[header.Size];
        var read = await _input.ReadAtLeastAsync(data, data.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        _position += read;
        if (read < data.Length)
            throw Truncated($"it ends inside the extended header at byte {offset}");
        await SkipAsync(Padded(header.Size) - header.Size, ct).ConfigureAwait(false);
        return data;
    }

    private static byte[] UpToNul(byte[] data)
    {
        var end = Array.IndexOf(data, (byte)0);
        return end < 0 ? data : data[..end];
    }

    private static long Padded(long size) => (size + BlockSize - 1) / BlockSize * BlockSize;

    private async Task SkipAsync(long count, CancellationToken ct)
    {
        _scratch ??= new byte[64 * 1024];
        while (count > 0)
        {
            var n = await _input.ReadAsync(_scratch.AsMemory(0, (int)Math.Min(count, _scratch.Length)), ct).ConfigureAwait(false);
            if (n == 0)
                throw Truncated(_current is null ? $"it ends at byte {_position}, inside an entry" : $"it ends inside the data of {_current.DisplayPath}");
            _position += n;
            count -= n;
        }
    }

    /// <summary>Reads what follows the end-of-archive marker (the writer's padding) to the end of the input.</summary>
    private async Task DrainAsync(CancellationToken ct)
    {
        _scratch ??= new byte[64 * 1024];
        int n;
        while ((n = await _input.ReadAsync(_scratch, ct).ConfigureAwait(false)) > 0)
            _position += n;
    }

    private static CairnException Invalid(string message, string hint) => new(ErrorKind.InvalidInput, message, hint);

    private static CairnException Truncated(string where) =>
        Invalid($"the archive is cut short: {where}", "no snapshot was made; get a complete copy of the archive");

    private static CairnException Corrupt(string what) =>
        Invalid($"the archive is damaged: {what}", "no snapshot was made; check it with 'tar -tvf'");
}
