using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Core.Crypto;
using Cairn.Core.Format;

using Cairn.Core.Serialization;

namespace Cairn.Core.Snapshots;

/// <summary>
/// A snapshot file: <c>u32 length ‖ summary envelope ‖ u32 length ‖ detail envelope</c>, both JSON.
/// </summary>
public static class SnapshotCodec
{
    /// <summary>Encodes and seals a snapshot; its ID is the BLAKE3 hash of the returned bytes.</summary>
    public static byte[] Encode(KeyRing keys, Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var summary = JsonSerializer.SerializeToUtf8Bytes(new SnapshotSummarySection
        {
            Version = 1,
            Time = snapshot.Time,
            Host = snapshot.Host,
            Tags = [.. snapshot.Tags],
            ProgramVersion = snapshot.ProgramVersion,
            Summary = snapshot.Summary,
            DestroyAfter = snapshot.DestroyAfter,
        }, SnapshotJsonContext.Default.SnapshotSummarySection);
        var detail = JsonSerializer.SerializeToUtf8Bytes(new SnapshotDetailSection
        {
            Tree = snapshot.Tree.ToString(),
            Paths = [.. snapshot.Paths],
            Parent = snapshot.Parent?.ToString(),
            Username = snapshot.Username,
            Excludes = [.. snapshot.Excludes],
            RepairedFrom = snapshot.RepairedFrom?.ToString(),
            CopiedFrom = snapshot.CopiedFrom?.ToString(),
            Lost = snapshot.Lost.Count == 0 ? null : [.. snapshot.Lost],
        }, SnapshotJsonContext.Default.SnapshotDetailSection);
        var a = Envelope.Seal(keys, EnvelopeType.SnapshotSummary, KeyDomain.SnapshotSummary, summary);
        var b = Envelope.Seal(keys, EnvelopeType.SnapshotDetail, KeyDomain.Metadata, detail);
        var result = new byte[8 + a.Length + b.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(result, (uint)a.Length);
        a.CopyTo(result, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4 + a.Length), (uint)b.Length);
        b.CopyTo(result, 8 + a.Length);
        return result;
    }

    /// <summary>Opens a snapshot file.</summary>
    /// <exception cref="RepositoryCorruptException">When it is damaged.</exception>
    public static Snapshot Decode(KeyRing keys, SnapshotId id, ReadOnlySpan<byte> stored, string name)
    {
        if (Digest.OfContent(stored) != id.Digest)
            throw new RepositoryCorruptException(name, "content does not match its name (the file was altered or damaged)");
        if (stored.Length < 8)
            throw new RepositoryCorruptException(name, "snapshot file is truncated");
        var aLength = BinaryPrimitives.ReadUInt32LittleEndian(stored);
        if (aLength > stored.Length - 8)
            throw new RepositoryCorruptException(name, "snapshot file is truncated");
        var a = stored.Slice(4, (int)aLength);
        var bLength = BinaryPrimitives.ReadUInt32LittleEndian(stored[(4 + (int)aLength)..]);
        if (bLength != stored.Length - 8 - aLength)
            throw new RepositoryCorruptException(name, "snapshot file is truncated");
        var b = stored.Slice(8 + (int)aLength, (int)bLength);
        try
        {
            var summary = JsonSerializer.Deserialize(Envelope.Open(keys, EnvelopeType.SnapshotSummary, a, name), SnapshotJsonContext.Default.SnapshotSummarySection)
                ?? throw new RepositoryCorruptException(name, "empty summary");
            var detail = JsonSerializer.Deserialize(Envelope.Open(keys, EnvelopeType.SnapshotDetail, b, name), SnapshotJsonContext.Default.SnapshotDetailSection)
                ?? throw new RepositoryCorruptException(name, "empty detail");
            if (summary.Version != 1)
                throw new RepositoryCorruptException(name, $"snapshot version {summary.Version} is not supported");
            return new Snapshot
            {
                Id = id,
                Time = summary.Time,
                Host = summary.Host ?? "",
                Tags = summary.Tags ?? [],
                ProgramVersion = summary.ProgramVersion ?? "",
                Summary = summary.Summary ?? new SnapshotSummary(),
                DestroyAfter = summary.DestroyAfter,
                Paths = detail.Paths ?? [],
                Tree = BlobId.Parse(detail.Tree ?? ""),
                Parent = detail.Parent is null ? null : new SnapshotId(Digest.Parse(detail.Parent)),
                Username = detail.Username ?? "",
                Excludes = detail.Excludes ?? [],
                RepairedFrom = detail.RepairedFrom is null ? null : new SnapshotId(Digest.Parse(detail.RepairedFrom)),
                Lost = detail.Lost ?? [],
                CopiedFrom = detail.CopiedFrom is null ? null : new SnapshotId(Digest.Parse(detail.CopiedFrom)),
            };
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new RepositoryCorruptException(name, "snapshot does not parse", e);
        }
    }
}
