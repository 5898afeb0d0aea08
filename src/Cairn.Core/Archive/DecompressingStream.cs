using System.IO.Compression;
using ZstdSharp;

namespace Cairn.Core.Archive;

/// <summary>
/// Reads a gzip or zstd stream decompressed, and turns the decoders' complaints about damaged or cut-short data
/// into one <see cref="CairnException"/> of kind <see cref="ErrorKind.InvalidInput"/>. Does not own the compressed
/// stream.
/// </summary>
internal sealed class DecompressingStream : Stream
{
    private readonly Stream _decoder;
    private readonly ArchiveCompression _compression;

    public DecompressingStream(Stream compressed, ArchiveCompression compression)
    {
        _compression = compression;
        _decoder = compression switch
        {
            ArchiveCompression.Gzip => new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true),
            ArchiveCompression.Zstd => new DecompressionStream(compressed, leaveOpen: true),
            _ => throw new ArgumentOutOfRangeException(nameof(compression)),
        };
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return _decoder.Read(buffer);
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw Damaged(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _decoder.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw Damaged(e);
        }
    }

    private static bool IsDamage(Exception e) => e is InvalidDataException or ZstdException or EndOfStreamException;

    private CairnException Damaged(Exception e) =>
        new(ErrorKind.InvalidInput, $"the archive's {_compression.ToString().ToLowerInvariant()} data is damaged or cut short: {e.Message}",
            "no snapshot was made; check the archive with its own tool (gzip -t, zstd -t)", e);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _decoder.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _decoder.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
