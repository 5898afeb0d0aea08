using System.Collections.Concurrent;
using ZstdSharp;

namespace Cairn.Core.Compression;

/// <summary>
/// zstd compression through the system's libzstd when it is there (<see cref="NativeZstd"/>), else through the
/// managed ZstdSharp port. Contexts are not thread-safe and cost megabytes each, so they are pooled and shared
/// by whichever thread needs one (per-thread contexts would multiply with the thread pool's size).
/// </summary>
public static class Zstd
{
    private const int ProbeLength = 64 * 1024;
    private const int ContextsKept = 4;

    private static readonly ConcurrentDictionary<int, ConcurrentBag<Compressor>> Compressors = new();
    private static readonly ConcurrentBag<Decompressor> Decompressors = [];

    /// <summary>"libzstd" or "ZstdSharp": which implementation is in use.</summary>
    public static string Implementation => NativeZstd.IsAvailable ? "libzstd" : "ZstdSharp";

    /// <summary>The most bytes compressing <paramref name="length"/> bytes can produce.</summary>
    public static int Bound(int length) => Compressor.GetCompressBound(length);

    /// <summary>
    /// Compresses <paramref name="source"/> into <paramref name="destination"/> according to <paramref name="setting"/>.
    /// Returns the compressed length, or -1 when the data should be stored uncompressed (off, or not worth it).
    /// </summary>
    public static int TryCompress(CompressionSetting setting, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (setting.Level == 0 || source.Length < 64)
            return -1;
        if (setting.Auto && !NativeZstd.IsAvailable && source.Length > 2 * ProbeLength)
        {
            // ZstdSharp is slow on data that does not compress; so probe a slice in the middle at the fastest
            // level, and store as is what does not shrink by 3% there. libzstd needs no probe: it passes
            // incompressible blocks through at several GiB/s, and a probe would miss chunks that compress only
            // in part (measured on the benchmark corpus: 0.9% smaller repository, no slower).
            var probe = source.Slice(source.Length / 2 - ProbeLength / 2, ProbeLength);
            var probeLength = Wrap(probe, destination, 1);
            if (probeLength < 0 || probeLength > ProbeLength * 97L / 100)
                return -1;
        }
        var length = Wrap(source, destination, setting.Level);
        return length >= 0 && length < source.Length * 97L / 100 ? length : -1;
    }

    /// <summary>
    /// Compresses <paramref name="source"/> into one complete zstd frame in <paramref name="destination"/> (at least
    /// <see cref="Bound"/> long), whatever the ratio; returns its length.
    /// </summary>
    public static int CompressFrame(ReadOnlySpan<byte> source, Span<byte> destination, int level)
    {
        var length = Wrap(source, destination, level);
        return length >= 0 ? length : throw new InvalidOperationException("zstd could not compress into a buffer of the bound's size");
    }

    private static int Wrap(ReadOnlySpan<byte> source, Span<byte> destination, int level)
    {
        if (NativeZstd.IsAvailable)
            return NativeZstd.Compress(source, destination, level);
        var compressor = RentCompressor(level);
        try
        {
            return compressor.TryWrap(source, destination, out var written) ? written : -1;
        }
        finally
        {
            ReturnCompressor(level, compressor);
        }
    }

    /// <summary>Decompresses a zstd frame into exactly <paramref name="destination"/>.</summary>
    public static void Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (NativeZstd.IsAvailable)
        {
            var length = NativeZstd.Decompress(source, destination);
            if (length != destination.Length)
                throw new InvalidDataException($"zstd frame is damaged or decompressed to the wrong length (expected {destination.Length})");
            return;
        }
        var decompressor = RentDecompressor();
        try
        {
            var n = decompressor.Unwrap(source, destination);
            if (n != destination.Length)
                throw new InvalidDataException($"zstd frame decompressed to {n} bytes, expected {destination.Length}");
        }
        finally
        {
            ReturnDecompressor(decompressor);
        }
    }

    /// <summary>Compresses to a new array (for small metadata objects).</summary>
    public static byte[] Compress(ReadOnlySpan<byte> source, int level)
    {
        if (NativeZstd.IsAvailable)
        {
            var buffer = new byte[Bound(source.Length)];
            return buffer.AsSpan(0, NativeZstd.Compress(source, buffer, level)).ToArray();
        }
        var compressor = RentCompressor(level);
        try
        {
            return compressor.Wrap(source).ToArray();
        }
        finally
        {
            ReturnCompressor(level, compressor);
        }
    }

    /// <summary>Decompresses a frame of unknown size (for small metadata objects).</summary>
    public static byte[] Decompress(ReadOnlySpan<byte> source)
    {
        if (NativeZstd.IsAvailable && NativeZstd.ContentSize(source) is >= 0 and var size)
        {
            var plain = new byte[size];
            Decompress(source, plain);
            return plain;
        }
        var decompressor = RentDecompressor();
        try
        {
            return decompressor.Unwrap(source).ToArray();
        }
        finally
        {
            ReturnDecompressor(decompressor);
        }
    }

    private static Compressor RentCompressor(int level) =>
        Compressors.GetOrAdd(level, static _ => []).TryTake(out var c) ? c : new Compressor(level);

    private static void ReturnCompressor(int level, Compressor compressor)
    {
        var bag = Compressors.GetOrAdd(level, static _ => []);
        if (bag.Count < ContextsKept)
            bag.Add(compressor);
        else
            compressor.Dispose();
    }

    private static Decompressor RentDecompressor() => Decompressors.TryTake(out var d) ? d : new Decompressor();

    private static void ReturnDecompressor(Decompressor decompressor)
    {
        if (Decompressors.Count < ContextsKept)
            Decompressors.Add(decompressor);
        else
            decompressor.Dispose();
    }
}
