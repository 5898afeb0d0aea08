using System.Diagnostics;
using Cairn.Core.Chunking;
using Cairn.Core.Compression;
using Cairn.Core.Crypto;
using Cairn.Core.Format;

namespace Cairn.Benchmarks;

/// <summary>
/// The pipeline's ceiling on a real corpus rather than on synthetic data: every file is read into memory (not
/// timed), then chunked, each chunk hashed for its ID, each new chunk compressed with <c>auto</c> and sealed, and
/// the sealed bytes hashed as a pack's would be, all on one thread, timing each stage. Duplicate chunks cost only
/// chunking and hashing, as in a backup. What is left out is everything a backup does besides these stages:
/// walking directories, reading files, writing packs, trees and indexes.
/// </summary>
internal sealed class CorpusCeiling : IDisposable
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    private readonly KeyRing _keys = new(KernelData.MasterSecret, CipherSuite.Aes256Gcm);
    private readonly Chunker _chunker;
    private readonly SealedBox _box;
    private readonly ContentHasher _packHasher = new();
    // Packs are named by hashing their bytes read back in 1 MiB pieces (OpenPack.Id): sealed blobs are gathered
    // into a piece of that size (the copy not timed) and each full piece hashed.
    private readonly byte[] _packPiece = new byte[1 << 20];
    private int _pieceFilled;
    private readonly byte[] _sealed = new byte[Zstd.Bound(ChunkerParameters.Default.MaxSize) + SealedBox.Overhead];
    private readonly long[] _ticks = new long[Enum.GetValues<PipelineStage>().Length];
    private readonly HashSet<BlobId> _seen = [];
    private long _newBytes;
    private long _storedBytes;

    private CorpusCeiling()
    {
        _chunker = new Chunker(ChunkerParameters.Default, _keys.ChunkerSeed);
        _box = _keys.Box(BlobCodec.DomainOf(BlobType.Data));
    }

    /// <summary>Warms every stage up on synthetic data (so that the JIT's final code is what gets timed), then measures <paramref name="root"/>.</summary>
    public static CeilingMeasurement Measure(string root)
    {
        using (var warmUp = new CorpusCeiling())
        {
            var clock = Stopwatch.StartNew();
            for (var round = 0; clock.Elapsed < WarmUp; round++)
            {
                foreach (var size in (ReadOnlySpan<int>)[1000, 11_000, 100_000, KernelData.Length])
                    warmUp.Process(KernelData.Mixed.AsSpan(round * 64 % (KernelData.Length - size + 1), size));
            }
        }
        using var ceiling = new CorpusCeiling();
        var content = Array.Empty<byte>();
        long bytes = 0;
        var files = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var path in Directory.EnumerateFiles(root, "*", options).Order(StringComparer.Ordinal))
        {
            var length = ReadWhole(path, ref content);
            ceiling.Process(content.AsSpan(0, length));
            bytes += length;
            files++;
        }
        ceiling.HashPiece();
        if (bytes == 0)
            throw new InvalidOperationException($"{root} holds no data to measure");
        var seconds = Enum.GetValues<PipelineStage>().ToDictionary(s => s, s => (double)ceiling._ticks[(int)s] / Stopwatch.Frequency);
        return new CeilingMeasurement(bytes, files, ceiling._newBytes, ceiling._storedBytes, seconds);
    }

    public void Dispose() => _packHasher.Dispose();

    private void Process(ReadOnlySpan<byte> file)
    {
        Span<byte> associated = stackalloc byte[1 + Digest.Length];
        for (var offset = 0; offset < file.Length;)
        {
            var start = Stopwatch.GetTimestamp();
            var chunk = file.Slice(offset, _chunker.NextBoundary(file[offset..], isFinal: true));
            offset += chunk.Length;
            var chunked = Stopwatch.GetTimestamp();
            var id = _keys.BlobIdOf(BlobType.Data, chunk);
            var hashed = Stopwatch.GetTimestamp();
            Add(PipelineStage.Chunk, start, chunked);
            Add(PipelineStage.HashIds, chunked, hashed);
            if (!_seen.Add(id))
                continue;
            _newBytes += chunk.Length;
            var body = _sealed.AsSpan(SealedBox.NonceLength, _sealed.Length - SealedBox.Overhead);
            var compressedLength = Zstd.TryCompress(CompressionSetting.AutoDefault, chunk, body);
            if (compressedLength < 0)
                chunk.CopyTo(body);
            var sealedLength = (compressedLength < 0 ? chunk.Length : compressedLength) + SealedBox.Overhead;
            var compressed = Stopwatch.GetTimestamp();
            BlobCodec.Associated(BlobType.Data, id, associated);
            _box.Seal(body[..(sealedLength - SealedBox.Overhead)], associated, _sealed.AsSpan(0, sealedLength));
            var encrypted = Stopwatch.GetTimestamp();
            Add(PipelineStage.Compress, hashed, compressed);
            Add(PipelineStage.Encrypt, compressed, encrypted);
            HashForPack(_sealed.AsSpan(0, sealedLength));
            _storedBytes += sealedLength;
        }
    }

    private void HashForPack(ReadOnlySpan<byte> sealedBlob)
    {
        while (!sealedBlob.IsEmpty)
        {
            var n = Math.Min(sealedBlob.Length, _packPiece.Length - _pieceFilled);
            sealedBlob[..n].CopyTo(_packPiece.AsSpan(_pieceFilled));
            sealedBlob = sealedBlob[n..];
            _pieceFilled += n;
            if (_pieceFilled == _packPiece.Length)
                HashPiece();
        }
    }

    private void HashPiece()
    {
        var start = Stopwatch.GetTimestamp();
        _packHasher.Update(_packPiece.AsSpan(0, _pieceFilled));
        Add(PipelineStage.HashPacks, start, Stopwatch.GetTimestamp());
        _pieceFilled = 0;
    }

    private void Add(PipelineStage stage, long from, long to) => _ticks[(int)stage] += to - from;

    private static int ReadWhole(string path, ref byte[] content)
    {
        using var handle = File.OpenHandle(path);
        var length = checked((int)RandomAccess.GetLength(handle));
        if (content.Length < length)
            content = new byte[Math.Max(length, Math.Min(content.Length * 2, Array.MaxLength))];
        var read = 0;
        while (read < length)
        {
            var n = RandomAccess.Read(handle, content.AsSpan(read, length - read), read);
            if (n == 0)
                break;
            read += n;
        }
        return read;
    }
}
