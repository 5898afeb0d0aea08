using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using Cairn.Core;
using Cairn.Core.Export;

namespace Cairn.Commands.Export;

/// <summary>
/// Where one volume goes: its medium (a file, a device or standard output), the header written first, then the
/// archive through compression and the filter command; every byte that reaches the medium is hashed per MiB, so
/// that <see cref="VerifyAsync"/> can read the volume back and say where it differs.
/// </summary>
public sealed class VolumeSink : IAsyncDisposable
{
    private readonly Stream _medium;
    private readonly SegmentHashingStream _hashing;
    private readonly Stream _blocked;
    private readonly Stream? _compressor;
    private readonly Process? _filter;
    private readonly Task? _pump;
    private readonly string? _filterCommand;
    private bool _closed;

    private VolumeSink(string path, Stream medium, Stream blocked, SegmentHashingStream hashing, Stream? compressor, Process? filter, Task? pump, string? filterCommand, Stream archive)
    {
        Path = path;
        _medium = medium;
        _blocked = blocked;
        _hashing = hashing;
        _compressor = compressor;
        _filter = filter;
        _pump = pump;
        _filterCommand = filterCommand;
        Archive = archive;
    }

    /// <summary>The volume's path ("-" for standard output).</summary>
    public string Path { get; }

    /// <summary>Where the archive's bytes go.</summary>
    public Stream Archive { get; }

    /// <summary>Bytes on the medium.</summary>
    public long Length => _hashing.Count;

    /// <summary>Opens the medium, writes <paramref name="header"/> if any, and sets up compression and the filter.</summary>
    public static async Task<VolumeSink> OpenAsync(string path, Stream medium, bool fixedBlocks, byte[]? header, ExportCommandOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(medium);
        ArgumentNullException.ThrowIfNull(options);
        var hashing = new SegmentHashingStream(medium, options.Verify);
        if (header is not null)
            await hashing.WriteAsync(header, ct).ConfigureAwait(false);
        Stream blocked = fixedBlocks ? new FixedBlockStream(hashing, options.BlockSize) : new BufferedStream(hashing, 1 << 20);
        Stream target = blocked;
        Process? filter = null;
        Task? pump = null;
        if (options.Filter is { } command)
        {
            var psi = ShellCommand.StartInfo(command);
            psi.RedirectStandardInput = true;
            psi.RedirectStandardOutput = true;
            filter = Process.Start(psi) ?? throw new CairnException(ErrorKind.InvalidInput, $"cannot run the filter '{command}'");
            var output = filter.StandardOutput.BaseStream;
            pump = Task.Run(() => output.CopyToAsync(blocked, 1 << 20, ct), ct);
            target = filter.StandardInput.BaseStream;
        }
        Stream? compressor = options.Compress switch
        {
            "zstd" => new ZstdFrameStream(target, 3, Environment.ProcessorCount + 1),
            "gzip" => new GZipStream(target, CompressionLevel.Fastest, leaveOpen: true),
            _ => null,
        };
        var archive = new BufferedStream(compressor ?? target, 1 << 20);
        return new VolumeSink(path, medium, blocked, hashing, compressor, filter, pump, options.Filter, archive);
    }

    /// <summary>Flushes every layer, waits for the filter, and syncs the medium.</summary>
    public async Task CloseAsync(CancellationToken ct)
    {
        await Archive.FlushAsync(ct).ConfigureAwait(false);
        if (_compressor is not null)
        {
            await _compressor.FlushAsync(ct).ConfigureAwait(false);
            await _compressor.DisposeAsync().ConfigureAwait(false);
        }
        if (_filter is not null)
        {
            try
            {
                _filter.StandardInput.Close();
            }
            catch (IOException)
            {
                // the filter is gone; its exit code says why
            }
            await _pump!.ConfigureAwait(false);
            await _filter.WaitForExitAsync(ct).ConfigureAwait(false);
            if (_filter.ExitCode != 0)
                throw new CairnException(ErrorKind.InvalidInput, $"the filter '{_filterCommand}' exited with code {_filter.ExitCode}", "fix the command; the volume it wrote is not usable");
        }
        await _blocked.FlushAsync(ct).ConfigureAwait(false);
        await _hashing.FlushAsync(ct).ConfigureAwait(false);
        if (_medium is FileStream file && file.CanSeek)
            file.Flush(flushToDisk: true);
        _hashing.Seal();
        _closed = true;
    }

    /// <summary>
    /// Reads the volume back from <paramref name="medium"/> and compares it with what was written: null when it
    /// matches, else the offset of the first MiB that differs (or where the volume ends early or runs on).
    /// </summary>
    public async Task<long?> VerifyAsync(Stream medium, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(medium);
        if (!_closed || _hashing.Segments.Count == 0)
            throw new InvalidOperationException("verify a volume written with Verify set, after closing it");
        var buffer = new byte[SegmentHashingStream.SegmentSize];
        long offset = 0;
        foreach (var expected in _hashing.Segments)
        {
            var want = (int)Math.Min(buffer.Length, _hashing.Count - offset);
            var got = await medium.ReadAtLeastAsync(buffer.AsMemory(0, want), want, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            if (got != want || !SHA256.HashData(buffer.AsSpan(0, got)).AsSpan().SequenceEqual(expected))
                return offset;
            offset += got;
        }
        return await medium.ReadAsync(buffer.AsMemory(0, 1), ct).ConfigureAwait(false) == 0 ? null : offset;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // After a failure the layers may hold data that can no longer go anywhere (a filter that died): drop it.
        if (!_closed)
            await QuietlyAsync(Archive.DisposeAsync).ConfigureAwait(false);
        if (_filter is not null)
        {
            if (!_filter.HasExited)
                _filter.Kill(entireProcessTree: true);
            _filter.Dispose();
        }
        await QuietlyAsync(_blocked.DisposeAsync).ConfigureAwait(false);
        await QuietlyAsync(_hashing.DisposeAsync).ConfigureAwait(false);
        await QuietlyAsync(_medium.DisposeAsync).ConfigureAwait(false);
    }

    private static async Task QuietlyAsync(Func<ValueTask> dispose)
    {
        try
        {
            await dispose().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // the volume is being thrown away
        }
    }
}
