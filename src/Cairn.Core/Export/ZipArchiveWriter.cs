using System.IO.Compression;
using System.Text;
using Cairn.Core.Platform;

namespace Cairn.Core.Export;

/// <summary>
/// Writes a zip archive (System.IO.Compression) for people on systems without tar: content (holes written as
/// zeros, hard links as copies), names, Unix modes and symlinks in the external attributes as Info-ZIP does, and
/// modification times to two seconds. FIFOs, devices, owners, attributes and ACLs have no place in zip.
/// </summary>
public sealed class ZipArchiveWriter : IArchiveWriter
{
    private const int TypeDirectory = 0x4000, TypeFile = 0x8000, TypeSymlink = 0xA000;
    private static readonly DateTimeOffset Earliest = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(2107, 12, 31, 0, 0, 0, TimeSpan.Zero);
    private readonly CountingStream _output;
    private readonly ZipArchive _zip;

    /// <summary>Creates a writer onto <paramref name="output"/>, which need not be seekable.</summary>
    public ZipArchiveWriter(Stream output)
    {
        _output = new CountingStream(output);
        _zip = new ZipArchive(_output, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);
    }

    /// <inheritdoc/>
    public long Position => _output.Count;

    /// <inheritdoc/>
    public long TrailerSize => 0;

    /// <inheritdoc/>
    public long? SizeOf(ArchiveMember member) => null;

    /// <inheritdoc/>
    public async ValueTask WriteAsync(ArchiveMember member, Func<Stream, CancellationToken, ValueTask> writeContent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(writeContent);
        var node = member.Node;
        var name = PathBytes.Display(member.Path);
        var (type, level) = node.Kind switch
        {
            FileKind.Directory => (TypeDirectory, CompressionLevel.NoCompression),
            FileKind.Symlink => (TypeSymlink, CompressionLevel.NoCompression),
            FileKind.File => (TypeFile, CompressionLevel.Fastest),
            _ => (0, CompressionLevel.NoCompression),
        };
        if (type == 0)
            return; // FIFOs and devices: reported as lost before writing
        if (type == TypeDirectory)
            name = name == "." ? "./" : name + "/";
        var entry = _zip.CreateEntry(name, level);
        entry.ExternalAttributes = (int)((uint)(type | (int)(node.Mode & 0xFFF)) << 16);
        var mtime = node.Mtime.ToDateTimeOffset();
        entry.LastWriteTime = mtime < Earliest ? Earliest : mtime > Latest ? Latest : mtime;
        var stream = await entry.OpenAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            if (type == TypeSymlink)
            {
                await stream.WriteAsync(node.LinkTarget ?? [], ct).ConfigureAwait(false);
            }
            else if (type == TypeFile)
            {
                var filled = new HoleFillingStream(stream, member.Extents, member.Size);
                await writeContent(filled, ct).ConfigureAwait(false);
                await filled.FinishAsync(ct).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask FinishAsync(CancellationToken ct)
    {
        await _zip.DisposeAsync().ConfigureAwait(false);
        await _output.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await _zip.DisposeAsync().ConfigureAwait(false);
}
