using BenchmarkDotNet.Attributes;
using Cairn.Core.Chunking;
using Cairn.Core.Compression;
using Cairn.Core.Crypto;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Repository;
using Cairn.Core.Trees;

namespace Cairn.Benchmarks;

/// <summary>
/// One benchmark per pipeline stage, each over <see cref="KernelData.Length"/> bytes (or a fixed count of
/// items), on one core. The summary's throughput per stage feeds the pipeline-ceiling computation.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class KernelBenchmarks
{
    private readonly KeyRing _keys = new(KernelData.MasterSecret, CipherSuite.Aes256Gcm);
    private readonly byte[] _destination = new byte[Zstd.Bound(KernelData.Length) + SealedBox.Overhead];
    private readonly byte[] _blob = KernelData.Mixed.AsSpan(0, 1 << 20).ToArray();
    private Chunker _chunker = null!;
    private List<Node> _nodes = null!;
    private MasterIndex _index = null!;
    private BlobId[] _ids = null!;

    [GlobalSetup]
    public void Setup()
    {
        _chunker = new Chunker(ChunkerParameters.Default, _keys.ChunkerSeed);
        _nodes = Enumerable.Range(0, 1000).Select(i => new Node
        {
            Name = System.Text.Encoding.UTF8.GetBytes($"file-{i:0000}.txt"), Kind = FileKind.File, Mode = 0x1A4, Uid = 1000, Gid = 1000,
            User = "me", Group = "me", Size = 12345 + i, Mtime = new PosixTime(1_700_000_000 + i, 1), Atime = new PosixTime(1_700_000_000, 2),
            Ctime = new PosixTime(1_700_000_000, 3), Inode = (ulong)i, Device = 2049, Links = 1, Content = [new BlobId(new Digest(new byte[32]))],
        }).ToList();
        _ids = Enumerable.Range(0, 100_000).Select(i => _keys.BlobIdOf(BlobType.Data, BitConverter.GetBytes(i))).ToArray();
        _index = new MasterIndex();
        _index.AddPack(new PackId(default), _ids.Select((id, i) => new PackEntry(id, BlobType.Data, CompressionKind.Zstd, (uint)i, 100, 200)));
    }

    /// <summary>FastCDC over 8 MiB of random data.</summary>
    [Benchmark]
    public int Chunk()
    {
        var data = KernelData.Random;
        int offset = 0, chunks = 0;
        while (offset < data.Length)
        {
            offset += _chunker.NextBoundary(data.AsSpan(offset), isFinal: true);
            chunks++;
        }
        return chunks;
    }

    /// <summary>Keyed BLAKE3 blob IDs over 8 MiB in 1 MiB chunks.</summary>
    [Benchmark]
    public BlobId HashIds()
    {
        BlobId last = default;
        for (var i = 0; i < KernelData.Length; i += 1 << 20)
            last = _keys.BlobIdOf(BlobType.Data, KernelData.Random.AsSpan(i, 1 << 20));
        return last;
    }

    /// <summary>zstd at a level over 8 MiB of half text, half random data, in 1 MiB blobs.</summary>
    [Benchmark]
    [Arguments(1)]
    [Arguments(3)]
    [Arguments(9)]
    [Arguments(19)]
    public int Compress(int level) => CompressMixed(new CompressionSetting(level, false));

    /// <summary>'auto' over the same mixed data: the probe skips the random half.</summary>
    [Benchmark]
    public int CompressAutoMixed() => CompressMixed(CompressionSetting.AutoDefault);

    /// <summary>'auto' over random data only: should cost almost nothing.</summary>
    [Benchmark]
    public int CompressAutoIncompressible()
    {
        var total = 0;
        for (var i = 0; i < KernelData.Length; i += 1 << 20)
            total += Zstd.TryCompress(CompressionSetting.AutoDefault, KernelData.Random.AsSpan(i, 1 << 20), _destination);
        return total;
    }

    /// <summary>AES-256-GCM sealing of 8 MiB in 1 MiB blobs.</summary>
    [Benchmark]
    public void Encrypt()
    {
        var box = _keys.Box(KeyDomain.Data);
        for (var i = 0; i < KernelData.Length; i += 1 << 20)
            box.Seal(KernelData.Random.AsSpan(i, 1 << 20), default, _destination);
    }

    /// <summary>Eight 1 MiB blobs compressed, sealed and written into a pack buffer with its header.</summary>
    [Benchmark]
    public int WritePack()
    {
        var entries = new List<PackEntry>(8);
        var pack = new byte[KernelData.Length + (1 << 20)];
        var length = 0;
        Span<byte> ad = stackalloc byte[33];
        for (var i = 0; i < 8; i++)
        {
            var id = _keys.BlobIdOf(BlobType.Data, _blob);
            var n = Zstd.TryCompress(CompressionSetting.AutoDefault, _blob, _destination);
            ReadOnlySpan<byte> body = n < 0 ? _blob : _destination.AsSpan(0, n);
            var sealedLength = body.Length + SealedBox.Overhead;
            BlobCodec.Associated(BlobType.Data, id, ad);
            _keys.Box(KeyDomain.Data).Seal(body, ad, pack.AsSpan(length, sealedLength));
            entries.Add(new PackEntry(id, BlobType.Data, n < 0 ? CompressionKind.None : CompressionKind.Zstd, (uint)length, (uint)sealedLength, (uint)_blob.Length));
            length += sealedLength;
        }
        return length + PackFormat.EncodeTail(_keys, entries).Length;
    }

    /// <summary>100,000 blobs inserted into a fresh index.</summary>
    [Benchmark]
    public int IndexInsert()
    {
        var index = new MasterIndex();
        index.AddPack(new PackId(default), _ids.Select((id, i) => new PackEntry(id, BlobType.Data, CompressionKind.Zstd, (uint)i, 100, 200)));
        return index.BlobCount;
    }

    /// <summary>100,000 lookups of known blobs.</summary>
    [Benchmark]
    public int IndexLookup()
    {
        var found = 0;
        foreach (var id in _ids)
        {
            if (_index.Contains(id))
                found++;
        }
        return found;
    }

    /// <summary>A directory of 1,000 files encoded and decoded.</summary>
    [Benchmark]
    public int EncodeTree() => TreeCodec.Decode(TreeCodec.Encode(_nodes), "bench").Count;

    private int CompressMixed(CompressionSetting setting)
    {
        var total = 0;
        for (var i = 0; i < KernelData.Length; i += 1 << 20)
            total += Zstd.TryCompress(setting, KernelData.Mixed.AsSpan(i, 1 << 20), _destination);
        return total;
    }
}
