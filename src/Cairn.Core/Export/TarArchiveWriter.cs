using System.Text;
using Cairn.Core.Platform;
using Cairn.Core.Trees;

namespace Cairn.Core.Export;

/// <summary>
/// Writes a tar archive that GNU tar extracts with every piece of metadata it can carry. In PAX form (the
/// default): nanosecond times, any size, owner or name length, raw non-UTF-8 names, extended attributes in every
/// namespace with binary values (<c>SCHILY.xattr.*</c>), POSIX ACLs (<c>SCHILY.acl.*</c>) and sparse files in
/// GNU's sparse format 1.0. In old GNU form: long names through <c>././@LongLink</c> entries, large numbers in
/// base 256 and sparse files as type 'S'; it has no place for attributes, ACLs or sub-second times. Hard links
/// are link entries, devices and FIFOs are their own types.
/// </summary>
public sealed class TarArchiveWriter : IArchiveWriter
{
    private static readonly byte[] Zeros = new byte[TarBlock.Size * 2];
    private readonly Stream _output;
    private readonly bool _gnu;
    private readonly int _recordSize;
    private long _position;

    /// <summary>Creates a writer; the archive's length is padded to a multiple of <paramref name="recordSize"/>.</summary>
    public TarArchiveWriter(Stream output, bool gnu, int recordSize)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (recordSize <= 0 || recordSize % TarBlock.Size != 0)
            throw new ArgumentOutOfRangeException(nameof(recordSize), "a multiple of 512");
        _output = output;
        _gnu = gnu;
        _recordSize = recordSize;
    }

    /// <inheritdoc/>
    public long Position => _position;

    /// <inheritdoc/>
    public long TrailerSize => TarBlock.Size * 2 + _recordSize;

    /// <inheritdoc/>
    public long? SizeOf(ArchiveMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var headers = _gnu ? GnuHeaders(member) : PaxHeaders(member);
        return headers.Sum(h => (long)h.Length) + Padded(DataLength(member));
    }

    /// <inheritdoc/>
    public async ValueTask WriteAsync(ArchiveMember member, Func<Stream, CancellationToken, ValueTask> writeContent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(writeContent);
        foreach (var header in _gnu ? GnuHeaders(member) : PaxHeaders(member))
            await WriteRawAsync(header, ct).ConfigureAwait(false);
        if (!HasContent(member))
            return;
        if (!_gnu && member.IsSparse)
            await WriteRawAsync(Pad(SparseMap(member)), ct).ConfigureAwait(false);
        await writeContent(_output, ct).ConfigureAwait(false);
        _position += member.StoredLength;
        var tail = (int)(Padded(member.StoredLength) - member.StoredLength);
        if (tail > 0)
            await WriteRawAsync(Zeros.AsMemory(0, tail), ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask FinishAsync(CancellationToken ct)
    {
        await WriteRawAsync(Zeros, ct).ConfigureAwait(false);
        var tail = (int)((_recordSize - _position % _recordSize) % _recordSize);
        while (tail > 0)
        {
            var n = Math.Min(tail, Zeros.Length);
            await WriteRawAsync(Zeros.AsMemory(0, n), ct).ConfigureAwait(false);
            tail -= n;
        }
        await _output.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static bool HasContent(ArchiveMember member) => member.HardLinkTo is null && member.Node.Kind == FileKind.File;

    private long DataLength(ArchiveMember member) =>
        !HasContent(member) ? 0 : member.StoredLength + (!_gnu && member.IsSparse ? Pad(SparseMap(member)).Length : 0);

    private List<byte[]> PaxHeaders(ArchiveMember member)
    {
        var node = member.Node;
        var path = EntryPath(member);
        var records = new PaxRecords();
        var sparse = HasContent(member) && member.IsSparse;
        if (sparse)
        {
            records.Add("GNU.sparse.major", 1).Add("GNU.sparse.minor", 0).Add("GNU.sparse.name", path).Add("GNU.sparse.realsize", member.Size);
        }
        else if (!FitsUstarName(path))
        {
            records.Add("path", path);
        }
        var linkTarget = LinkTarget(member);
        if (linkTarget is not null && !FitsUstar(linkTarget, 100))
            records.Add("linkpath", linkTarget);
        records.Add("mtime", node.Mtime).Add("atime", node.Atime).Add("ctime", node.Ctime);
        if (!TarBlock.FitsOctal(node.Uid, 8))
            records.Add("uid", node.Uid);
        if (!TarBlock.FitsOctal(node.Gid, 8))
            records.Add("gid", node.Gid);
        if (node.User is { } user && !FitsUstar(Encoding.UTF8.GetBytes(user), 32))
            records.Add("uname", user);
        if (node.Group is { } group && !FitsUstar(Encoding.UTF8.GetBytes(group), 32))
            records.Add("gname", group);
        var dataLength = DataLength(member);
        if (!TarBlock.FitsOctal(dataLength, 12))
            records.Add("size", dataLength);
        foreach (var xattr in node.Xattrs)
        {
            if (xattr.IsAcl && PosixAcl.Format(xattr.Value) is { } text)
            {
                var key = xattr.Name.AsSpan().SequenceEqual(PosixAcl.DefaultName) ? "SCHILY.acl.default" : "SCHILY.acl.access";
                records.Add(key, text.Replace(',', '\n'));
            }
            records.Add("SCHILY.xattr." + Encoding.UTF8.GetString(xattr.Name), xattr.Value);
        }

        var headers = new List<byte[]>();
        if (!records.IsEmpty)
        {
            var paxHeader = TarBlock.Ustar(TarBlock.PaxHeader)
                .Name(Ascii(Concat("PaxHeaders/"u8.ToArray(), BaseName(path)), 100))
                .Numbers(0x1A4, 0, 0, records.Bytes.Length, Math.Max(0, node.Mtime.Seconds));
            headers.Add(paxHeader.Seal().ToArray());
            headers.Add(Pad(records.Bytes));
        }
        var ustarName = sparse ? Concat(DirName(path), "GNUSparseFile.0/"u8.ToArray(), BaseName(path)) : path;
        var main = TarBlock.Ustar(TypeOf(member));
        SetUstarName(main, ustarName);
        if (linkTarget is not null)
            main.LinkName(FitsUstar(linkTarget, 100) ? linkTarget : Ascii(linkTarget, 100));
        main.Numbers(node.Mode, Clamp(node.Uid), Clamp(node.Gid), TarBlock.FitsOctal(dataLength, 12) ? dataLength : 0, ClampTime(node.Mtime.Seconds))
            .Owners(AsciiOwner(node.User), AsciiOwner(node.Group));
        if (node.Kind is FileKind.CharDevice or FileKind.BlockDevice)
            main.Device(node.Rdev);
        headers.Add(main.Seal().ToArray());
        return headers;
    }

    private List<byte[]> GnuHeaders(ArchiveMember member)
    {
        var node = member.Node;
        var path = EntryPath(member);
        var headers = new List<byte[]>();
        var linkTarget = LinkTarget(member);
        if (linkTarget is not null && linkTarget.Length > 100)
            headers.AddRange(LongLink(TarBlock.GnuLongLink, linkTarget));
        if (path.Length > 100)
            headers.AddRange(LongLink(TarBlock.GnuLongName, path));
        var sparse = HasContent(member) && member.IsSparse;
        var map = sparse ? SparseEntries(member) : [];
        var main = TarBlock.Gnu(sparse ? TarBlock.GnuSparseFile : TypeOf(member)).Name(path);
        if (linkTarget is not null)
            main.LinkName(linkTarget);
        main.Numbers(node.Mode, node.Uid, node.Gid, DataLength(member), node.Mtime.Seconds).Owners(node.User, node.Group);
        if (node.Kind is FileKind.CharDevice or FileKind.BlockDevice)
            main.Device(node.Rdev);
        if (sparse)
            main.GnuSparse(map.AsSpan(0, Math.Min(map.Length, TarBlock.SparseInHeader)), member.Size, map.Length > TarBlock.SparseInHeader);
        headers.Add(main.Seal().ToArray());
        for (var at = TarBlock.SparseInHeader; at < map.Length; at += TarBlock.SparseInExtension)
        {
            var count = Math.Min(TarBlock.SparseInExtension, map.Length - at);
            headers.Add(TarBlock.GnuSparseExtension(map.AsSpan(at, count), at + count < map.Length));
        }
        return headers;
    }

    private static IEnumerable<byte[]> LongLink(byte type, byte[] name)
    {
        var data = new byte[name.Length + 1];
        name.CopyTo(data, 0);
        yield return TarBlock.Gnu(type).Name("././@LongLink"u8).Numbers(0x1A4, 0, 0, data.Length, 0).Seal().ToArray();
        yield return Pad(data);
    }

    /// <summary>The data ranges, ending with an empty range at the file's end when it ends in a hole (as GNU tar writes them).</summary>
    private static (long Offset, long Length)[] SparseEntries(ArchiveMember member)
    {
        var entries = member.Extents.Select(e => (e.Offset, e.Length)).ToList();
        if (entries.Count == 0 || entries[^1].Offset + entries[^1].Length < member.Size)
            entries.Add((member.Size, 0));
        return [.. entries];
    }

    private static byte[] SparseMap(ArchiveMember member)
    {
        var entries = SparseEntries(member);
        var text = new StringBuilder().Append(entries.Length).Append('\n');
        foreach (var (offset, length) in entries)
            text.Append(offset).Append('\n').Append(length).Append('\n');
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static byte TypeOf(ArchiveMember member) => member.HardLinkTo is not null ? TarBlock.HardLink : member.Node.Kind switch
    {
        FileKind.Directory => TarBlock.Directory,
        FileKind.Symlink => TarBlock.Symlink,
        FileKind.CharDevice => TarBlock.CharDevice,
        FileKind.BlockDevice => TarBlock.BlockDevice,
        FileKind.Fifo => TarBlock.Fifo,
        _ => TarBlock.Regular,
    };

    private static byte[]? LinkTarget(ArchiveMember member) => member.HardLinkTo ?? (member.Node.Kind == FileKind.Symlink ? member.Node.LinkTarget ?? [] : null);

    /// <summary>Directories end in a slash in the archive, as tar writes them.</summary>
    private static byte[] EntryPath(ArchiveMember member) =>
        member.Node.Kind == FileKind.Directory && member.HardLinkTo is null && member.Path[^1] != '/' ? Concat(member.Path, "/"u8.ToArray()) : member.Path;

    private static bool FitsUstarName(byte[] path) => path.All(b => b is > 0 and < 0x80) && (path.Length <= 100 || SplitPoint(path) > 0);

    /// <summary>Where a long path splits into the ustar prefix (up to 155 bytes) and name (up to 100), or 0.</summary>
    private static int SplitPoint(byte[] path)
    {
        for (var i = Math.Min(path.Length - 1, 155); i > 0; i--)
        {
            if (path[i] == '/' && path.Length - i - 1 <= 100 && path.Length - i - 1 > 0)
                return i;
        }
        return 0;
    }

    private static void SetUstarName(TarBlock block, byte[] path)
    {
        if (path.Length <= 100)
        {
            block.Name(path);
            return;
        }
        var split = SplitPoint(path);
        if (split > 0 && FitsUstarName(path))
        {
            block.Prefix(path.AsSpan(0, split)).Name(path.AsSpan(split + 1));
            return;
        }
        block.Name(Ascii(path, 100)); // the PAX path record is the real name
    }

    private static bool FitsUstar(byte[] value, int width) => value.Length <= width && value.All(b => b is > 0 and < 0x80);

    private static string? AsciiOwner(string? name) => name is not null && FitsUstar(Encoding.UTF8.GetBytes(name), 32) ? name : null;

    private static uint Clamp(uint id) => TarBlock.FitsOctal(id, 8) ? id : 0;

    private static long ClampTime(long seconds) => TarBlock.FitsOctal(seconds, 12) ? seconds : 0;

    /// <summary>A stand-in for readers that know no PAX: printable ASCII, at most <paramref name="width"/> bytes.</summary>
    private static byte[] Ascii(byte[] value, int width) =>
        value.Take(width).Select(b => b is >= 0x20 and < 0x7F ? b : (byte)'_').ToArray();

    private static byte[] BaseName(byte[] path)
    {
        var trimmed = path.AsSpan().TrimEnd((byte)'/');
        var slash = trimmed.LastIndexOf((byte)'/');
        return trimmed[(slash + 1)..].ToArray();
    }

    private static byte[] DirName(byte[] path)
    {
        var slash = path.AsSpan().LastIndexOf((byte)'/');
        return slash < 0 ? [] : path[..(slash + 1)];
    }

    private static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(p => p.Length)];
        var at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, at);
            at += part.Length;
        }
        return result;
    }

    private static byte[] Pad(ReadOnlySpan<byte> data)
    {
        var padded = new byte[Padded(data.Length)];
        data.CopyTo(padded);
        return padded;
    }

    private static long Padded(long length) => (length + TarBlock.Size - 1) / TarBlock.Size * TarBlock.Size;

    private async ValueTask WriteRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        await _output.WriteAsync(bytes, ct).ConfigureAwait(false);
        _position += bytes.Length;
    }
}
