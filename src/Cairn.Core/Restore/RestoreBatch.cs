using System.Runtime.InteropServices;
using Cairn.Core.Format;
using Cairn.Core.Repository;

namespace Cairn.Core.Restore;

/// <summary>
/// Files a restore has planned and not yet written, and where each of their blobs goes. A restore writes one batch
/// while it plans the next, so its memory follows a batch's size rather than the number of files in the snapshot,
/// and planning (trees, directories, symlinks) runs beside the writing. A file is always whole in one batch; a pack
/// with blobs for two batches is read once for each, only where those blobs lie. The later names of hard-link groups
/// planned with the batch are linked once it is written, when the first name of each group is (in this batch or an
/// earlier one), so that they are not held to the end either.
/// </summary>
internal sealed class RestoreBatch
{
    /// <summary>
    /// Files in a batch before the next begins: about 1 KiB each to plan (its node, its blobs' places), so two
    /// batches stay under 20 MiB, while one still spans tens of packs for the writers to share.
    /// </summary>
    internal const int MaxFiles = 8192;

    /// <summary>Blobs in a batch before the next begins, for large files (a larger file is a batch by itself).</summary>
    internal const int MaxBlobs = 65536;

    /// <summary>
    /// Later names of hard-link groups in a batch before the next begins: about 100 bytes each (a path), and a batch
    /// costs a full garbage collection, so more of them than of files; a tree of nothing but later names (rsnapshot's
    /// older copies) still comes in batches.
    /// </summary>
    internal const int MaxLinks = 65536;

    private int _blobs;

    /// <summary>Where each blob goes.</summary>
    public Dictionary<BlobId, BlobTargets> Targets { get; } = [];

    /// <summary>The files, in the order they were planned.</summary>
    public List<RestoreFile> Files { get; } = [];

    /// <summary>Later names of hard-link groups, each with the first name restored, to be linked to it.</summary>
    public List<(byte[] Path, RestoreFile First)> Links { get; } = [];

    /// <summary>Whether the batch holds enough to be written.</summary>
    public bool IsFull => Files.Count >= MaxFiles || _blobs >= MaxBlobs || Links.Count >= MaxLinks;

    /// <summary>Adds a file and maps its blobs to their offsets in it (a blob missing from the index takes no room).</summary>
    public void Add(RestoreFile file, MasterIndex index)
    {
        Files.Add(file);
        long offset = 0;
        foreach (var id in file.Node.Content)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(Targets, id, out _).Add(file, offset);
            offset += index.TryGet(id, out var entry) ? entry.RawLength : 0;
        }
        _blobs += file.Node.Content.Count;
    }
}
