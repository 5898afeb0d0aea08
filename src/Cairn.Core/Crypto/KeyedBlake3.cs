using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cairn.Core.Crypto;

/// <summary>
/// Keyed BLAKE3 with a 32-byte output for inputs of up to <see cref="MaxLength"/> bytes, hashing as many 1 KiB
/// chunks side by side as a SIMD vector has 32-bit lanes, and then the tree's parent nodes level by level the
/// same way. The Blake3 package hashes an input under 16 KiB one chunk, and so one 64-byte block, at a time,
/// 130–200 MiB/s on the reference machine, which made hashing the IDs of small files' chunks ~9% of a first
/// backup's CPU and ~12% of a restore's (bench/README.md). The same function: the tests compare it with the
/// package for every length around a block's, a chunk's and a tree level's edges.
/// </summary>
internal static class KeyedBlake3
{
    /// <summary>The longest input this hasher takes; longer ones go to the Blake3 package, which hashes 16 chunks at a time.</summary>
    public const int MaxLength = 64 * ChunkLength;

    private const int ChunkLength = 1024;
    private const int BlockLength = 64;
    private const int BlocksPerChunk = ChunkLength / BlockLength;
    private const uint ChunkStart = 1;
    private const uint ChunkEnd = 2;
    private const uint ParentNode = 4;
    private const uint RootNode = 8;
    private const uint KeyedHash = 16;

    /// <summary>Whether vectors are hardware-accelerated here; where they are not, the Blake3 package is as fast.</summary>
    public static bool IsSupported { get; } = Vector.IsHardwareAccelerated && BitConverter.IsLittleEndian && Vector<uint>.Count >= 4;

    private static int Lanes => Vector<uint>.Count;

    /// <summary>Whether eight lanes' blocks are loaded by <see cref="TransposeBlocks"/> rather than word by word.</summary>
    private static bool Transposes => Avx2.IsSupported && Lanes == Vector256<uint>.Count;

    /// <summary>Hashes <paramref name="input"/> (at most <see cref="MaxLength"/> bytes) under the 32-byte <paramref name="key"/> into 32 bytes.</summary>
    public static void Hash(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (key.Length != 32)
            throw new ArgumentException("a BLAKE3 key is 32 bytes", nameof(key));
        if (input.Length > MaxLength)
            throw new ArgumentOutOfRangeException(nameof(input), $"at most {MaxLength} bytes");
        // The key as the eight little-endian words every chaining value starts from.
        Span<uint> keyWords = stackalloc uint[8];
        for (var i = 0; i < 8; i++)
            keyWords[i] = BinaryPrimitives.ReadUInt32LittleEndian(key[(4 * i)..]);
        var chunks = Math.Max(1, (input.Length + ChunkLength - 1) / ChunkLength);
        Span<uint> chainingValues = stackalloc uint[8 * (MaxLength / ChunkLength)];
        for (var first = 0; first < chunks; first += Lanes)
            HashChunks(keyWords, input, first, Math.Min(Lanes, chunks - first), chunks, chainingValues);
        // Parents level by level: pairs of neighbours; an odd last node moves up a level as it is, which builds
        // the tree BLAKE3 defines (each left subtree a power of two of chunks). The last pair is the root.
        for (var count = chunks; count > 1; count = count / 2 + count % 2)
        {
            var pairs = count / 2;
            for (var first = 0; first < pairs; first += Lanes)
                HashParents(keyWords, chainingValues, first, Math.Min(Lanes, pairs - first), root: count == 2);
            if (count % 2 == 1)
                chainingValues.Slice(8 * (count - 1), 8).CopyTo(chainingValues[(8 * pairs)..]);
        }
        for (var i = 0; i < 8; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(output[(4 * i)..], chainingValues[i]);
    }

    /// <summary>The chaining values of chunks <paramref name="first"/> to <paramref name="first"/> + <paramref name="lanes"/> - 1, one per lane.</summary>
    private static void HashChunks(ReadOnlySpan<uint> key, ReadOnlySpan<byte> input, int first, int lanes, int chunks, Span<uint> chainingValues)
    {
        Span<Vector<uint>> state = stackalloc Vector<uint>[8];
        Start(key, state);
        if (lanes == Lanes && (first + lanes) * ChunkLength <= input.Length)
            HashWholeChunks(input.Slice(first * ChunkLength, lanes * ChunkLength), first, state);
        else
            HashSomeChunks(input, first, lanes, chunks, state);
        Store(state, chainingValues, first, lanes);
    }

    /// <summary>A chunk in every lane, each of them whole: the same flags and length in every lane, no lane left out.</summary>
    private static void HashWholeChunks(ReadOnlySpan<byte> chunks, int first, Span<Vector<uint>> state)
    {
        var width = Lanes;
        Span<uint> counters = stackalloc uint[width];
        for (var lane = 0; lane < width; lane++)
            counters[lane] = (uint)(first + lane);
        var counter = new Vector<uint>(counters);
        var length = new Vector<uint>(BlockLength);
        var everyLane = new Vector<uint>(uint.MaxValue);
        Span<uint> words = stackalloc uint[16 * width];
        Span<Vector<uint>> message = stackalloc Vector<uint>[16];
        var source = MemoryMarshal.Cast<byte, uint>(chunks);
        for (var block = 0; block < BlocksPerChunk; block++)
        {
            if (Transposes)
                TransposeBlocks(chunks, block, message);
            else
            {
                for (var lane = 0; lane < width; lane++)
                    PutBlock(words, lane, source.Slice(lane * (ChunkLength / 4) + block * (BlockLength / 4), 16));
                LoadMessage(words, message);
            }
            var flags = KeyedHash | (block == 0 ? ChunkStart : 0) | (block == BlocksPerChunk - 1 ? ChunkEnd : 0);
            Compress(state, message, counter, length, new Vector<uint>(flags), everyLane);
        }
    }

    /// <summary>
    /// Chunks in some lanes, the input's last chunk in the last of them, which may be short (its last block padded
    /// with zeros, as BLAKE3 pads it) or the whole input (then its last block is the root). Lanes past the input
    /// hash zeros and keep their state (<c>active</c> is clear in them).
    /// </summary>
    private static void HashSomeChunks(ReadOnlySpan<byte> input, int first, int lanes, int chunks, Span<Vector<uint>> state)
    {
        var width = Lanes;
        var lastLength = input.Length - (chunks - 1) * ChunkLength;
        var lastBlocks = Math.Max(1, (lastLength + BlockLength - 1) / BlockLength);
        // The group's chunks side by side, zero-padded to whole chunks in every lane, so that every block loads whole.
        Span<byte> staged = stackalloc byte[width * ChunkLength];
        var rest = input[(first * ChunkLength)..];
        rest.CopyTo(staged);
        staged[rest.Length..].Clear();
        var stagedWords = MemoryMarshal.Cast<byte, uint>(staged);
        Span<uint> words = stackalloc uint[16 * width];
        Span<uint> counters = stackalloc uint[width];
        Span<uint> lengths = stackalloc uint[width];
        Span<uint> flags = stackalloc uint[width];
        Span<uint> active = stackalloc uint[width];
        Span<Vector<uint>> message = stackalloc Vector<uint>[16];
        for (var lane = 0; lane < lanes; lane++)
            counters[lane] = (uint)(first + lane);
        var blocks = lanes > 1 ? BlocksPerChunk : lastBlocks;
        for (var block = 0; block < blocks; block++)
        {
            for (var lane = 0; lane < lanes; lane++)
            {
                var isLast = lane == lanes - 1;
                var chunkBlocks = isLast ? lastBlocks : BlocksPerChunk;
                if (block >= chunkBlocks)
                {
                    active[lane] = 0;
                    continue;
                }
                if (!Transposes)
                    PutBlock(words, lane, stagedWords.Slice(lane * (ChunkLength / 4) + block * 16, 16));
                lengths[lane] = (uint)(isLast && block == lastBlocks - 1 ? lastLength - block * BlockLength : BlockLength);
                flags[lane] = KeyedHash
                    | (block == 0 ? ChunkStart : 0)
                    | (block == chunkBlocks - 1 ? ChunkEnd | (chunks == 1 ? RootNode : 0) : 0);
                active[lane] = uint.MaxValue;
            }
            if (Transposes)
                TransposeBlocks(staged, block, message);
            else
                LoadMessage(words, message);
            Compress(state, message, new Vector<uint>(counters), new Vector<uint>(lengths), new Vector<uint>(flags), new Vector<uint>(active));
        }
    }

    /// <summary>The chaining values of parents <paramref name="first"/> to <paramref name="first"/> + <paramref name="lanes"/> - 1 of this level, written over the level's first nodes.</summary>
    private static void HashParents(ReadOnlySpan<uint> key, Span<uint> chainingValues, int first, int lanes, bool root)
    {
        var width = Lanes;
        Span<uint> words = stackalloc uint[16 * width];
        Span<uint> active = stackalloc uint[width];
        Span<Vector<uint>> state = stackalloc Vector<uint>[8];
        Span<Vector<uint>> message = stackalloc Vector<uint>[16];
        for (var lane = 0; lane < lanes; lane++)
        {
            PutBlock(words, lane, chainingValues.Slice(16 * (first + lane), 16));
            active[lane] = uint.MaxValue;
        }
        Start(key, state);
        LoadMessage(words, message);
        Compress(state, message, Vector<uint>.Zero, new Vector<uint>(BlockLength), new Vector<uint>(KeyedHash | ParentNode | (root ? RootNode : 0)),
            new Vector<uint>(active));
        Store(state, chainingValues, first, lanes);
    }

    /// <summary>Every lane's chaining value set to the key.</summary>
    private static void Start(ReadOnlySpan<uint> key, Span<Vector<uint>> state)
    {
        for (var i = 0; i < 8; i++)
            state[i] = new Vector<uint>(key[i]);
    }

    /// <summary>
    /// Block <paramref name="block"/> of eight whole chunks as the 16 message vectors, word w of chunk c in lane c of
    /// vector w: two 8 × 8 transposes of 32-bit words in registers instead of 128 scalar stores.
    /// </summary>
    private static void TransposeBlocks(ReadOnlySpan<byte> chunks, int block, Span<Vector<uint>> message)
    {
        ref var start = ref Unsafe.Add(ref MemoryMarshal.GetReference(chunks), block * BlockLength);
        for (var half = 0; half < 2; half++)
        {
            ref var at = ref Unsafe.Add(ref start, half * 32);
            var r0 = Vector256.LoadUnsafe(ref at).AsUInt32();
            var r1 = Vector256.LoadUnsafe(ref at, ChunkLength).AsUInt32();
            var r2 = Vector256.LoadUnsafe(ref at, 2 * ChunkLength).AsUInt32();
            var r3 = Vector256.LoadUnsafe(ref at, 3 * ChunkLength).AsUInt32();
            var r4 = Vector256.LoadUnsafe(ref at, 4 * ChunkLength).AsUInt32();
            var r5 = Vector256.LoadUnsafe(ref at, 5 * ChunkLength).AsUInt32();
            var r6 = Vector256.LoadUnsafe(ref at, 6 * ChunkLength).AsUInt32();
            var r7 = Vector256.LoadUnsafe(ref at, 7 * ChunkLength).AsUInt32();
            var t0 = Avx2.UnpackLow(r0, r1).AsUInt64();
            var t1 = Avx2.UnpackHigh(r0, r1).AsUInt64();
            var t2 = Avx2.UnpackLow(r2, r3).AsUInt64();
            var t3 = Avx2.UnpackHigh(r2, r3).AsUInt64();
            var t4 = Avx2.UnpackLow(r4, r5).AsUInt64();
            var t5 = Avx2.UnpackHigh(r4, r5).AsUInt64();
            var t6 = Avx2.UnpackLow(r6, r7).AsUInt64();
            var t7 = Avx2.UnpackHigh(r6, r7).AsUInt64();
            var u0 = Avx2.UnpackLow(t0, t2).AsUInt32();
            var u1 = Avx2.UnpackHigh(t0, t2).AsUInt32();
            var u2 = Avx2.UnpackLow(t1, t3).AsUInt32();
            var u3 = Avx2.UnpackHigh(t1, t3).AsUInt32();
            var u4 = Avx2.UnpackLow(t4, t6).AsUInt32();
            var u5 = Avx2.UnpackHigh(t4, t6).AsUInt32();
            var u6 = Avx2.UnpackLow(t5, t7).AsUInt32();
            var u7 = Avx2.UnpackHigh(t5, t7).AsUInt32();
            var w = 8 * half;
            message[w] = Avx2.Permute2x128(u0, u4, 0x20).AsVector();
            message[w + 1] = Avx2.Permute2x128(u1, u5, 0x20).AsVector();
            message[w + 2] = Avx2.Permute2x128(u2, u6, 0x20).AsVector();
            message[w + 3] = Avx2.Permute2x128(u3, u7, 0x20).AsVector();
            message[w + 4] = Avx2.Permute2x128(u0, u4, 0x31).AsVector();
            message[w + 5] = Avx2.Permute2x128(u1, u5, 0x31).AsVector();
            message[w + 6] = Avx2.Permute2x128(u2, u6, 0x31).AsVector();
            message[w + 7] = Avx2.Permute2x128(u3, u7, 0x31).AsVector();
        }
    }

    /// <summary>Puts a block's 16 words in <paramref name="lane"/>: word w goes to <paramref name="words"/>[w × lanes + lane].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutBlock(Span<uint> words, int lane, ReadOnlySpan<uint> block)
    {
        // block holds 16 words and words 16 × Lanes: the slices the callers pass bound every access.
        var width = Lanes;
        ref var to = ref MemoryMarshal.GetReference(words);
        ref var from = ref MemoryMarshal.GetReference(block);
        for (var w = 0; w < 16; w++)
            Unsafe.Add(ref to, w * width + lane) = Unsafe.Add(ref from, w);
    }

    /// <summary>The 16 message vectors, one word of every lane's block each, from the words <see cref="PutBlock"/> put.</summary>
    private static void LoadMessage(Span<uint> words, Span<Vector<uint>> message)
    {
        ref var from = ref MemoryMarshal.GetReference(words);
        for (var w = 0; w < 16; w++)
            message[w] = Vector.LoadUnsafe(ref from, (nuint)(w * Lanes));
    }

    private static void Store(ReadOnlySpan<Vector<uint>> state, Span<uint> chainingValues, int first, int lanes)
    {
        for (var i = 0; i < 8; i++)
        {
            var word = state[i];
            for (var lane = 0; lane < lanes; lane++)
                chainingValues[8 * (first + lane) + i] = word[lane];
        }
    }

    /// <summary>
    /// BLAKE3's compression function in every lane at once; the new chaining value replaces
    /// <paramref name="chainingValue"/> in the lanes <paramref name="active"/> marks.
    /// </summary>
    private static void Compress(Span<Vector<uint>> chainingValue, ReadOnlySpan<Vector<uint>> m, Vector<uint> counter, Vector<uint> blockLength,
        Vector<uint> flags, Vector<uint> active)
    {
        var v0 = chainingValue[0];
        var v1 = chainingValue[1];
        var v2 = chainingValue[2];
        var v3 = chainingValue[3];
        var v4 = chainingValue[4];
        var v5 = chainingValue[5];
        var v6 = chainingValue[6];
        var v7 = chainingValue[7];
        var v8 = new Vector<uint>(0x6A09E667u);
        var v9 = new Vector<uint>(0xBB67AE85u);
        var v10 = new Vector<uint>(0x3C6EF372u);
        var v11 = new Vector<uint>(0xA54FF53Au);
        var v12 = counter;
        var v13 = Vector<uint>.Zero;
        var v14 = blockLength;
        var v15 = flags;
        var m0 = m[0];
        var m1 = m[1];
        var m2 = m[2];
        var m3 = m[3];
        var m4 = m[4];
        var m5 = m[5];
        var m6 = m[6];
        var m7 = m[7];
        var m8 = m[8];
        var m9 = m[9];
        var m10 = m[10];
        var m11 = m[11];
        var m12 = m[12];
        var m13 = m[13];
        var m14 = m[14];
        var m15 = m[15];
        for (var round = 0; ; round++)
        {
            G(ref v0, ref v4, ref v8, ref v12, m0, m1);
            G(ref v1, ref v5, ref v9, ref v13, m2, m3);
            G(ref v2, ref v6, ref v10, ref v14, m4, m5);
            G(ref v3, ref v7, ref v11, ref v15, m6, m7);
            G(ref v0, ref v5, ref v10, ref v15, m8, m9);
            G(ref v1, ref v6, ref v11, ref v12, m10, m11);
            G(ref v2, ref v7, ref v8, ref v13, m12, m13);
            G(ref v3, ref v4, ref v9, ref v14, m14, m15);
            if (round == 6)
                break;
            // The message permutation: word i of the next round is word Permutation[i] of this one.
            (m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15) =
                (m2, m6, m3, m10, m7, m0, m4, m13, m1, m11, m12, m5, m9, m14, m15, m8);
        }
        chainingValue[0] = Vector.ConditionalSelect(active, v0 ^ v8, chainingValue[0]);
        chainingValue[1] = Vector.ConditionalSelect(active, v1 ^ v9, chainingValue[1]);
        chainingValue[2] = Vector.ConditionalSelect(active, v2 ^ v10, chainingValue[2]);
        chainingValue[3] = Vector.ConditionalSelect(active, v3 ^ v11, chainingValue[3]);
        chainingValue[4] = Vector.ConditionalSelect(active, v4 ^ v12, chainingValue[4]);
        chainingValue[5] = Vector.ConditionalSelect(active, v5 ^ v13, chainingValue[5]);
        chainingValue[6] = Vector.ConditionalSelect(active, v6 ^ v14, chainingValue[6]);
        chainingValue[7] = Vector.ConditionalSelect(active, v7 ^ v15, chainingValue[7]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref Vector<uint> a, ref Vector<uint> b, ref Vector<uint> c, ref Vector<uint> d, Vector<uint> x, Vector<uint> y)
    {
        a += b + x;
        d = RotateRight(d ^ a, 16);
        c += d;
        b = RotateRight(b ^ c, 12);
        a += b + y;
        d = RotateRight(d ^ a, 8);
        c += d;
        b = RotateRight(b ^ c, 7);
    }

    /// <summary>One instruction where AVX-512 has a vector rotate (a third of the compression function's work is rotating), two shifts and an or elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<uint> RotateRight(Vector<uint> value, [ConstantExpected] byte count) =>
        Avx512F.VL.IsSupported && Vector<uint>.Count == Vector256<uint>.Count
            ? Avx512F.VL.RotateRight(value.AsVector256(), count).AsVector()
            : Vector.ShiftRightLogical(value, count) | Vector.ShiftLeft(value, 32 - count);
}
