using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Cairn.Core.Compression;

/// <summary>
/// The system's libzstd (libzstd.so.1, which every Debian system has because dpkg needs it), two to three times
/// faster than the managed port. <see cref="Zstd"/> uses it when it loads and falls back to ZstdSharp otherwise;
/// both write and read the same standard zstd frames.
/// </summary>
internal static unsafe partial class NativeZstd
{
    private const string Library = "libzstd.so.1";
    private const int ContextsKept = 4;
    private static readonly ConcurrentBag<nint> CompressionContexts = [];
    private static readonly ConcurrentBag<nint> DecompressionContexts = [];

    /// <summary>True when libzstd loaded and is not disabled with <c>CAIRN_ZSTD=managed</c>.</summary>
    public static bool IsAvailable { get; } = Probe();

    /// <summary>Compresses; returns the frame's length, or -1 when it does not fit <paramref name="destination"/>.</summary>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination, int level)
    {
        var context = CompressionContexts.TryTake(out var c) ? c : CreateCCtx();
        try
        {
            nuint n;
            fixed (byte* src = source)
            fixed (byte* dst = destination)
                n = CompressCCtx(context, dst, (nuint)destination.Length, src, (nuint)source.Length, level);
            return IsError(n) != 0 ? -1 : (int)n;
        }
        finally
        {
            Keep(CompressionContexts, context, compression: true);
        }
    }

    /// <summary>Decompresses a frame; returns the plaintext length, or -1 when the frame is damaged or too large.</summary>
    public static int Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var context = DecompressionContexts.TryTake(out var d) ? d : CreateDCtx();
        try
        {
            nuint n;
            fixed (byte* src = source)
            fixed (byte* dst = destination)
                n = DecompressDCtx(context, dst, (nuint)destination.Length, src, (nuint)source.Length);
            return IsError(n) != 0 ? -1 : (int)n;
        }
        finally
        {
            Keep(DecompressionContexts, context, compression: false);
        }
    }

    /// <summary>The plaintext length recorded in a frame's header, or -1 when it is not recorded or too large.</summary>
    public static long ContentSize(ReadOnlySpan<byte> frame)
    {
        ulong size;
        fixed (byte* src = frame)
            size = GetFrameContentSize(src, (nuint)frame.Length);
        return size > int.MaxValue ? -1 : (long)size;
    }

    private static void Keep(ConcurrentBag<nint> bag, nint context, bool compression)
    {
        if (bag.Count < ContextsKept)
            bag.Add(context);
        else if (compression)
            FreeCCtx(context);
        else
            FreeDCtx(context);
    }

    private static bool Probe()
    {
        if (Environment.GetEnvironmentVariable("CAIRN_ZSTD") == "managed")
            return false;
        if (!NativeLibrary.TryLoad(Library, typeof(NativeZstd).Assembly, null, out var handle))
            return false;
        NativeLibrary.Free(handle);
        try
        {
            return CompressBound(1024) > 1024;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport(Library, EntryPoint = "ZSTD_compressBound")]
    private static partial nuint CompressBound(nuint size);

    [LibraryImport(Library, EntryPoint = "ZSTD_createCCtx")]
    private static partial nint CreateCCtx();

    [LibraryImport(Library, EntryPoint = "ZSTD_freeCCtx")]
    private static partial nuint FreeCCtx(nint context);

    [LibraryImport(Library, EntryPoint = "ZSTD_compressCCtx")]
    private static partial nuint CompressCCtx(nint context, byte* destination, nuint capacity, byte* source, nuint length, int level);

    [LibraryImport(Library, EntryPoint = "ZSTD_createDCtx")]
    private static partial nint CreateDCtx();

    [LibraryImport(Library, EntryPoint = "ZSTD_freeDCtx")]
    private static partial nuint FreeDCtx(nint context);

    [LibraryImport(Library, EntryPoint = "ZSTD_decompressDCtx")]
    private static partial nuint DecompressDCtx(nint context, byte* destination, nuint capacity, byte* source, nuint length);

    [LibraryImport(Library, EntryPoint = "ZSTD_getFrameContentSize")]
    private static partial ulong GetFrameContentSize(byte* source, nuint length);

    [LibraryImport(Library, EntryPoint = "ZSTD_isError")]
    private static partial uint IsError(nuint code);
}
