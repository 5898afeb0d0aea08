using System.Buffers;

namespace Cairn.Core.Buffers;

/// <summary>
/// The pool for the pipeline's large buffers (file reads, chunks, packs). Unlike <see cref="ArrayPool{T}.Shared"/>,
/// which keeps arrays per thread and per core and so can hold hundreds of megabytes of 16–32 MiB arrays after a
/// backup, this pool keeps at most a few arrays of each size: peak memory follows what is in use, not what was.
/// </summary>
public static class BufferPool
{
    /// <summary>The largest array the pool hands out and keeps.</summary>
    public const int MaxArrayLength = 64 * 1024 * 1024;

    /// <summary>The pool.</summary>
    public static ArrayPool<byte> Shared { get; } = ArrayPool<byte>.Create(MaxArrayLength, maxArraysPerBucket: 4);
}
