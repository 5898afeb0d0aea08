using System.Text;
using System.Threading.Channels;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Repository;
using Cairn.Core.Trees;

namespace Cairn.Core.Export;

/// <summary>
/// Writes a snapshot, or a path in it, as an archive: a walker lists the members depth first in name order and
/// starts loading file content ahead of the writer (<see cref="ContentPrefetcher"/>), the writer puts them into
/// the current volume. With a volume limit, a member that does not fit starts the next volume, and a file larger
/// than a volume's room is written as numbered parts (<c>NAME.cairn-part-0001</c>, …, joined with <c>cat</c>); every
/// volume is a complete archive, so a hard link whose first name is in an earlier volume carries its content again.
/// </summary>
public sealed class SnapshotExporter
{
    /// <summary>The suffix of the parts of a file split over volumes, before the part's number.</summary>
    public const string PartSuffix = ".cairn-part-";

    private const long MinimumPart = 1 << 20;
    private readonly IBlobLoader _loader;
    private readonly ExportOptions _options;
    private readonly ExportProgress _progress;
    private readonly Dictionary<string, (long Count, string First)> _losses = new(StringComparer.Ordinal);
    private readonly List<ExportVolume> _volumes = [];
    private long _members, _splitFiles;

    /// <summary>Creates an exporter.</summary>
    public SnapshotExporter(IBlobLoader loader, ExportOptions options, ExportProgress progress)
    {
        ArgumentNullException.ThrowIfNull(options);
        _loader = loader;
        _options = options;
        _progress = progress;
    }

    /// <summary>
    /// Exports <paramref name="node"/> (found at <paramref name="snapshotPath"/>): a directory's contents, under "./"
    /// (the snapshot's root: under their names), or a single entry under its name. <paramref name="openVolume"/>
    /// gives the stream for volume N's archive (after its header, through compression and filter);
    /// <paramref name="closeVolume"/> ends it; <paramref name="onMember"/> hears of every member and its volume.
    /// </summary>
    public async Task<ExportResult> RunAsync(Node node, string snapshotPath, Func<int, CancellationToken, ValueTask<Stream>> openVolume,
        Func<ExportVolume, CancellationToken, ValueTask> closeVolume, Action<int, ArchiveMember>? onMember = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(openVolume);
        ArgumentNullException.ThrowIfNull(closeVolume);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var prefetcher = new ContentPrefetcher(_loader, _options.BlobsAhead);
        var items = Channel.CreateBounded<ExportItem>(new BoundedChannelOptions(256) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(() => ProduceAsync(node, snapshotPath, prefetcher, items.Writer, cancel.Token), cancel.Token);
        try
        {
            await ConsumeAsync(items.Reader, openVolume, closeVolume, onMember, cancel.Token).ConfigureAwait(false);
        }
        finally
        {
            await cancel.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // ended by the writer finishing or failing
            }
        }
        var losses = _losses.Select(l => new ExportLoss(l.Key, l.Value.Count, l.Value.First)).ToList();
        return new ExportResult(_members, _progress.Bytes, _volumes, _progress.Errors, losses, _splitFiles);
    }

    private sealed record ExportItem(ArchiveMember Member, FileContent? Content, (ulong Device, ulong Inode)? LinkKey);

    private async Task ProduceAsync(Node node, string snapshotPath, ContentPrefetcher prefetcher, ChannelWriter<ExportItem> items, CancellationToken ct)
    {
        var seen = new HashSet<(ulong, ulong)>();
        try
        {
            async Task EmitAsync(byte[] path, Node entry)
            {
                foreach (var what in FormatLimits.Lost(_options.Format, entry))
                    NoteLoss(what, path);
                if (entry.Kind == FileKind.Socket)
                    return;
                (ulong, ulong)? key = entry.Kind == FileKind.File && entry.Links > 1 && _options.Format != ExportFormat.Zip ? (entry.Device, entry.Inode) : null;
                // One archive: later names of a link group are link entries and need no content. Volumes: any name
                // may have to carry it, when the first is in an earlier volume.
                var needsContent = entry.Kind == FileKind.File && (key is null || _options.VolumeLimit is not null || seen.Add(key.Value));
                var content = needsContent ? prefetcher.Create(e => _progress.Error(PathBytes.Display(path), $"content not exported in full (zeros in its place): {e.Message}")) : null;
                await items.WriteAsync(new ExportItem(ArchiveMember.For(path, entry), content, key), ct).ConfigureAwait(false);
                if (content is not null)
                    await prefetcher.FeedAsync(content, entry.Content, ct).ConfigureAwait(false);
            }

            async Task WalkAsync(byte[] directoryPath, Node directory)
            {
                if (directory.Subtree is not { } subtree)
                    return;
                IReadOnlyList<Node> children;
                try
                {
                    children = await _loader.LoadTreeOnceAsync(subtree, ct).ConfigureAwait(false);
                }
                catch (RepositoryCorruptException e)
                {
                    _progress.Error(PathBytes.Display(directoryPath), $"directory contents lost: {e.Message}");
                    return;
                }
                foreach (var child in children)
                {
                    if (!PathBytes.IsEntryName(child.Name))
                    {
                        // A damaged or crafted tree: such a member ('..', 'a/../../b') would land outside wherever the
                        // archive is unpacked.
                        _progress.Error(PathBytes.Display(directoryPath), $"entry named {PathBytes.Display(child.Name)} not exported: not a name a directory entry can have (a damaged or crafted snapshot)");
                        continue;
                    }
                    var path = directoryPath.Length == 0 ? child.Name : PathBytes.Join(directoryPath, child.Name);
                    await EmitAsync(path, child).ConfigureAwait(false);
                    if (child.Kind == FileKind.Directory)
                        await WalkAsync(path, child).ConfigureAwait(false);
                }
            }

            if (node.Kind != FileKind.Directory)
            {
                await EmitAsync(node.Name, node).ConfigureAwait(false);
            }
            else if (snapshotPath.Trim('/').Length == 0)
            {
                await WalkAsync([], node).ConfigureAwait(false);
            }
            else
            {
                await EmitAsync("."u8.ToArray(), node).ConfigureAwait(false);
                await WalkAsync("."u8.ToArray(), node).ConfigureAwait(false);
            }
            items.TryComplete();
        }
        catch (Exception e)
        {
            items.TryComplete(e);
            throw;
        }
    }

    private async Task ConsumeAsync(ChannelReader<ExportItem> items, Func<int, CancellationToken, ValueTask<Stream>> openVolume,
        Func<ExportVolume, CancellationToken, ValueTask> closeVolume, Action<int, ArchiveMember>? onMember, CancellationToken ct)
    {
        var volume = new VolumeState();
        async Task NextVolumeAsync()
        {
            if (volume.Writer is not null)
                await FinishVolumeAsync(volume, closeVolume, ct).ConfigureAwait(false);
            volume = new VolumeState { Number = volume.Number + 1 };
            _progress.VolumeStarted();
            volume.Writer = CreateWriter(await openVolume(volume.Number, ct).ConfigureAwait(false));
        }

        async Task WriteAsync(ArchiveMember member, FileContent? content)
        {
            await volume.Writer!.WriteAsync(member, async (stream, token) =>
            {
                await content!.CopyAsync(stream, member.StoredLength, token).ConfigureAwait(false);
                _progress.BytesWritten(member.StoredLength);
            }, ct).ConfigureAwait(false);
            volume.Add(member.Path);
            _members++;
            _progress.MemberWritten();
            onMember?.Invoke(volume.Number, member);
        }

        await NextVolumeAsync().ConfigureAwait(false);
        await foreach (var item in items.ReadAllAsync(ct).ConfigureAwait(false))
        {
            var member = item.Member;
            if (item.LinkKey is { } key && volume.LinkFirst.TryGetValue(key, out var first))
            {
                await WriteAsync(member with { HardLinkTo = first, Size = 0, Extents = [] }, null).ConfigureAwait(false);
                if (item.Content is not null)
                    await item.Content.DrainAsync(ct).ConfigureAwait(false);
                continue;
            }
            var limit = _options.VolumeLimit;
            if (limit is null || Fits(volume, member, limit.Value))
            {
                await WriteAsync(member, item.Content).ConfigureAwait(false);
            }
            else if (volume.Members > 0 && (member.StoredLength == 0 || FitsEmpty(volume.Writer!, member, limit.Value)))
            {
                // Fits an empty volume: start one.
                await NextVolumeAsync().ConfigureAwait(false);
                await WriteAsync(member, item.Content).ConfigureAwait(false);
            }
            else if (member.StoredLength > 0)
            {
                await WritePartsAsync(member, item.Content!, limit.Value).ConfigureAwait(false);
                await item.Content!.DrainAsync(ct).ConfigureAwait(false);
                continue;
            }
            else
            {
                throw new CairnException(ErrorKind.Usage, $"the volume size is too small for the header of {PathBytes.Display(member.Path)}", "give a larger --volume-size");
            }
            if (item.Content is not null)
                await item.Content.DrainAsync(ct).ConfigureAwait(false);
            if (item.LinkKey is { } newKey)
                volume.LinkFirst[newKey] = member.Path;
        }
        await FinishVolumeAsync(volume, closeVolume, ct).ConfigureAwait(false);

        async Task WritePartsAsync(ArchiveMember whole, FileContent content, long limit)
        {
            _splitFiles++;
            var part = 0;
            long logical = 0;
            var extents = whole.Extents;
            while (logical < whole.Size || part == 0)
            {
                var room = limit - volume.Writer!.Position - volume.Writer.TrailerSize;
                var name = Encoding.UTF8.GetBytes($"{PartSuffix}{part + 1:D4}");
                var probe = whole with { Path = [.. whole.Path, .. name], Size = 0, Extents = [] };
                var budget = (room - volume.Writer.SizeOf(probe)!.Value - 2 * TarBlock.Size - (whole.IsSparse ? 8 * TarBlock.Size : 0)) / TarBlock.Size * TarBlock.Size;
                if (budget < Math.Min(MinimumPart, whole.StoredLength) && volume.Members > 0)
                {
                    await NextVolumeAsync().ConfigureAwait(false);
                    continue;
                }
                var (end, partExtents) = TakePart(extents, logical, whole.Size, budget);
                var member = whole with { Path = probe.Path, Size = end - logical, Extents = partExtents };
                while (budget > 0 && volume.Writer.SizeOf(member)!.Value > room)
                {
                    budget -= 64 * 1024;
                    (end, partExtents) = TakePart(extents, logical, whole.Size, budget);
                    member = whole with { Path = probe.Path, Size = end - logical, Extents = partExtents };
                }
                if (budget <= 0)
                    throw new CairnException(ErrorKind.Usage, $"the volume size is too small to hold part of {PathBytes.Display(whole.Path)}", "give a larger --volume-size");
                await WriteAsync(member, content).ConfigureAwait(false);
                logical = end;
                part++;
                if (logical < whole.Size)
                    await NextVolumeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The part of a file from <paramref name="start"/> that holds at most <paramref name="budget"/> data bytes:
    /// where it ends, and its data ranges relative to its start. It reaches the file's end when the rest fits.
    /// </summary>
    internal static (long End, List<FileExtent> Extents) TakePart(IReadOnlyList<FileExtent> extents, long start, long size, long budget)
    {
        var taken = new List<FileExtent>();
        foreach (var extent in extents)
        {
            if (extent.End <= start)
                continue;
            var from = Math.Max(extent.Offset, start);
            var length = extent.End - from;
            if (length >= budget)
            {
                // The budget runs out in this extent (or exactly at its end).
                if (budget > 0)
                    taken.Add(new FileExtent(from - start, budget));
                var end = from + budget;
                return (end == extent.End && !extents.Any(e => e.End > end) ? size : end, taken);
            }
            taken.Add(new FileExtent(from - start, length));
            budget -= length;
        }
        return (size, taken);
    }

    private static bool Fits(VolumeState volume, ArchiveMember member, long limit) =>
        volume.Writer!.Position + volume.Writer.SizeOf(member)!.Value + volume.Writer.TrailerSize <= limit;

    private static bool FitsEmpty(IArchiveWriter writer, ArchiveMember member, long limit) =>
        writer.SizeOf(member)!.Value + writer.TrailerSize <= limit;

    private IArchiveWriter CreateWriter(Stream stream) => _options.Format switch
    {
        ExportFormat.Zip => new ZipArchiveWriter(stream),
        _ => new TarArchiveWriter(stream, _options.Format == ExportFormat.Gnu, _options.RecordSize),
    };

    private async Task FinishVolumeAsync(VolumeState volume, Func<ExportVolume, CancellationToken, ValueTask> closeVolume, CancellationToken ct)
    {
        await volume.Writer!.FinishAsync(ct).ConfigureAwait(false);
        await volume.Writer.DisposeAsync().ConfigureAwait(false);
        var finished = new ExportVolume(volume.Number, volume.Members, volume.Writer.Position,
            volume.FirstPath is null ? null : PathBytes.Display(volume.FirstPath), volume.LastPath is null ? null : PathBytes.Display(volume.LastPath));
        _volumes.Add(finished);
        await closeVolume(finished, ct).ConfigureAwait(false);
    }

    private void NoteLoss(string what, byte[] path)
    {
        lock (_losses)
            _losses[what] = _losses.TryGetValue(what, out var seen) ? (seen.Count + 1, seen.First) : (1, PathBytes.Display(path));
    }

    private sealed class VolumeState
    {
        public int Number { get; init; }
        public IArchiveWriter? Writer { get; set; }
        public long Members { get; private set; }
        public byte[]? FirstPath { get; private set; }
        public byte[]? LastPath { get; private set; }
        public Dictionary<(ulong, ulong), byte[]> LinkFirst { get; } = [];

        public void Add(byte[] path)
        {
            Members++;
            FirstPath ??= path;
            LastPath = path;
        }
    }
}
