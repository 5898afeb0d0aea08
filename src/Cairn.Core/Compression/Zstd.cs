using ZstdSharp;

namespace Cairn.Core.Compression;

/// <summary>zstd compression with per-thread contexts (ZstdSharp contexts are not thread-safe).</summary>
public static class Zstd
{
    private const int ProbeLength = 64 * 1024;

    [ThreadStatic] private static Dictionary<int, Compressor>? t_compressors;
    [ThreadStatic] private static Decompressor? t_decompressor;

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
        var compressor = CompressorFor(setting.Auto ? 1 : setting.Level);
        if (setting.Auto && source.Length > 2 * ProbeLength)
        {
            // Probe a slice in the middle at the fastest level: data that does not shrink by 3% there is
            // stored as is, which is what makes 'auto' cheap on media files and already-compressed archives.
            var probe = source.Slice(source.Length / 2 - ProbeLength / 2, ProbeLength);
            var probeLength = compressor.Wrap(probe, destination);
            if (probeLength > ProbeLength * 97L / 100)
                return -1;
        }
        if (setting.Auto)
            compressor = CompressorFor(setting.Level);
        var length = compressor.Wrap(source, destination);
        return length < source.Length * 97L / 100 ? length : -1;
    }

    /// <summary>Decompresses a zstd frame into exactly <paramref name="destination"/>.</summary>
    public static void Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var decompressor = t_decompressor ??= new Decompressor();
        var n = decompressor.Unwrap(source, destination);
        if (n != destination.Length)
            throw new InvalidDataException($"zstd frame decompressed to {n} bytes, expected {destination.Length}");
    }

    /// <summary>Compresses to a new array (for small metadata objects).</summary>
    public static byte[] Compress(ReadOnlySpan<byte> source, int level) => CompressorFor(level).Wrap(source).ToArray();

    /// <summary>Decompresses a frame of unknown size (for small metadata objects).</summary>
    public static byte[] Decompress(ReadOnlySpan<byte> source)
    {
        var decompressor = t_decompressor ??= new Decompressor();
        return decompressor.Unwrap(source).ToArray();
    }

    private static Compressor CompressorFor(int level)
    {
        var map = t_compressors ??= new Dictionary<int, Compressor>();
        if (!map.TryGetValue(level, out var compressor))
            map[level] = compressor = new Compressor(level);
        return compressor;
    }
}
