using Cairn.Core.Export;
namespace Cairn.Core.Archive;

/// <summary>
/// The tar bytes of an archive given to import: a Cairn export's text header (<see cref="Export.ExportHeader"/>)
/// skipped, then gzip or zstd decompressed when the first bytes say so. Reads forward only, so a pipe works.
/// </summary>
public sealed class ArchiveInput : IAsyncDisposable
{
    private static ReadOnlySpan<byte> GzipMagic => [0x1F, 0x8B];
    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xB5, 0x2F, 0xFD];
    private static ReadOnlySpan<byte> XzMagic => [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00];

    private ArchiveInput(Stream tar, ArchiveCompression compression, bool exportHeader)
    {
        Tar = tar;
        Compression = compression;
        HadExportHeader = exportHeader;
    }

    /// <summary>The tar archive's bytes, decompressed.</summary>
    public Stream Tar { get; }

    /// <summary>How the archive was compressed.</summary>
    public ArchiveCompression Compression { get; }

    /// <summary>True when the input started with a Cairn export's header block, which was skipped.</summary>
    public bool HadExportHeader { get; }

    /// <summary>
    /// Looks at the first bytes of <paramref name="input"/> (which stays the caller's to dispose) and returns what
    /// reads the tar archive behind them.
    /// </summary>
    public static async Task<ArchiveInput> OpenAsync(Stream input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var magic = ExportHeader.MagicBytes;
        var head = new byte[magic.Length];
        var read = await input.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        var exported = head.AsSpan(0, read).SequenceEqual(magic);
        if (exported)
        {
            await SkipAsync(input, ExportHeader.Size - read, ct).ConfigureAwait(false);
            read = await input.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        }
        var first = head.AsSpan(0, read);
        var compression = first.StartsWith(GzipMagic) ? ArchiveCompression.Gzip
            : first.StartsWith(ZstdMagic) ? ArchiveCompression.Zstd
            : ArchiveCompression.None;
        if (first.StartsWith(XzMagic))
            throw new CairnException(ErrorKind.InvalidInput, "the archive is xz-compressed, which cairn does not read (only gzip and zstd)",
                "decompress it on the way in: xz -dc ARCHIVE | cairn import -");
        Stream tar = new PrefixedStream(head.AsMemory(0, read), input);
        if (compression != ArchiveCompression.None)
            tar = new DecompressingStream(tar, compression);
        return new ArchiveInput(tar, compression, exported);
    }

    private static async Task SkipAsync(Stream input, int count, CancellationToken ct)
    {
        var scratch = new byte[count];
        var read = await input.ReadAtLeastAsync(scratch, count, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        if (read < count)
            throw new CairnException(ErrorKind.InvalidInput, $"the archive is cut short: it ends inside the {ExportHeader.Size}-byte header of a Cairn export",
                "no snapshot was made; make the export again");
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Tar.DisposeAsync();
}
