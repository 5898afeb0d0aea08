using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cairn.Core.Format;

namespace Cairn.Core.Chunking;

/// <summary>
/// FastCDC content-defined chunking with normalised chunk sizes (level 2) and a gear table derived from the
/// repository's secret seed, so that chunk boundaries reveal nothing about file contents to someone without
/// the key. See docs/FORMAT.md, "Chunking".
/// </summary>
public sealed class Chunker
{
    private readonly ulong[] _gear = new ulong[256];
    private readonly ulong _maskSmall;
    private readonly ulong _maskLarge;

    /// <summary>Creates a chunker for the given sizes and 32-byte secret seed.</summary>
    public Chunker(ChunkerParameters parameters, ReadOnlySpan<byte> seed)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
        Span<byte> table = stackalloc byte[256 * 8];
        using (var hasher = Blake3.Hasher.NewKeyed(seed))
        {
            hasher.Update("cairn v1 gear table"u8);
            hasher.Finalize(table);
        }
        for (var i = 0; i < 256; i++)
            _gear[i] = BinaryPrimitives.ReadUInt64LittleEndian(table[(i * 8)..]);
        var bits = BitOperations.Log2((uint)parameters.AverageSize);
        // Normalised chunking: harder to cut before the average size, easier after it. The masks use the
        // top bits of the gear hash, which depend on the last 64 bytes read.
        _maskSmall = TopBits(bits + 2);
        _maskLarge = TopBits(bits - 2);
    }

    /// <summary>The sizes this chunker cuts to.</summary>
    public ChunkerParameters Parameters { get; }

    /// <summary>
    /// Returns the length of the next chunk at the start of <paramref name="data"/>. The caller passes at least
    /// <see cref="ChunkerParameters.MaxSize"/> bytes unless the data ends within them (<paramref name="isFinal"/>).
    /// </summary>
    public int NextBoundary(ReadOnlySpan<byte> data, bool isFinal)
    {
        if (!isFinal && data.Length < Parameters.MaxSize)
            throw new ArgumentException("pass at least MaxSize bytes unless the data ends", nameof(data));
        return FindBoundary(data, 0, isFinal);
    }

    /// <summary>
    /// Looks for the end of the chunk that starts at the start of <paramref name="data"/>, which holds the bytes read
    /// of it so far, for a caller that reads a chunk in pieces: the first <paramref name="scanned"/> bytes were looked
    /// at by an earlier call and held no cut point. Returns the chunk's length, or 0 when <paramref name="data"/> ends
    /// before the chunk does and more bytes follow (not <paramref name="isFinal"/>). Cuts exactly where
    /// <see cref="NextBoundary"/> cuts the same bytes.
    /// </summary>
    public int FindBoundary(ReadOnlySpan<byte> data, int scanned, bool isFinal)
    {
        var p = Parameters;
        var end = Math.Min(data.Length, p.MaxSize);
        var start = Math.Max(scanned, p.MinSize);
        var gear = _gear;
        ulong hash = 0;
        // The hash's top bits, which the masks test, depend on the last 64 bytes only: those before the resume point
        // are hashed again without testing them, so the hash is the one a single pass would have there.
        for (var j = Math.Max(p.MinSize, start - 64); j < Math.Min(start, end); j++)
            hash = (hash << 1) + gear[data[j]];
        var normal = Math.Min(p.AverageSize, end);
        ref var gearTable = ref MemoryMarshal.GetArrayDataReference(gear);
        var cut = Scan(data, ref gearTable, start, normal, _maskSmall, ref hash);
        if (cut < 0)
            cut = Scan(data, ref gearTable, Math.Max(start, normal), end, _maskLarge, ref hash);
        if (cut > 0)
            return cut;
        return isFinal || end == p.MaxSize ? end : 0;
    }

    /// <summary>
    /// Rolls the gear hash over <paramref name="data"/>[<paramref name="from"/>..<paramref name="to"/>) and returns
    /// the length up to the first cut point <paramref name="mask"/> finds, or -1 with <paramref name="hash"/> where
    /// the range ends. Two bytes a step: the hash two bytes on is (hash &lt;&lt; 2) + (gear[a] &lt;&lt; 1) + gear[b], so
    /// the chain from step to step is one shift and one add, and the hash between the two bytes is tested off it.
    /// </summary>
    private static int Scan(ReadOnlySpan<byte> data, ref ulong gear, int from, int to, ulong mask, ref ulong hash)
    {
        // gear has 256 entries, so any byte indexes it; to <= data.Length, so every read is inside data.
        ref var bytes = ref MemoryMarshal.GetReference(data);
        var h = hash;
        var i = from;
        for (; i + 1 < to; i += 2)
        {
            var a = Unsafe.Add(ref gear, Unsafe.Add(ref bytes, i));
            var b = Unsafe.Add(ref gear, Unsafe.Add(ref bytes, i + 1));
            if ((((h << 1) + a) & mask) == 0)
                return i + 1;
            h = (h << 2) + ((a << 1) + b);
            if ((h & mask) == 0)
                return i + 2;
        }
        if (i < to)
        {
            h = (h << 1) + Unsafe.Add(ref gear, Unsafe.Add(ref bytes, i));
            if ((h & mask) == 0)
                return i + 1;
        }
        hash = h;
        return -1;
    }

    private static ulong TopBits(int count) => count <= 0 ? 0 : ulong.MaxValue << (64 - Math.Min(count, 63));
}
