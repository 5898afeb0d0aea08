using System.Text;
using Cairn.Core.Backup;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Repository;
using Cairn.Core.Trees;

namespace Cairn.Core.Restore;

/// <summary>
/// Restores a tree to a directory, pack by pack. The tree is walked depth first: directories, symlinks, FIFOs and
/// devices are made as they come, and files are planned in batches (<see cref="RestoreBatch"/>), each blob mapped to
/// the places it goes, and the later names of hard-link groups planned with it; a full batch is written by the
/// <see cref="BatchWriter"/> while the next is planned, and its later names linked. Then the first names of hard-link
/// groups get their flags, and directories get their metadata at the very end (deepest first; <see cref="DirectoriesToFinish"/> keeps them meanwhile, out of memory when they are
/// many). A failure on either side stops the other. A restorer runs once.
/// </summary>
public sealed class Restorer
{
    private readonly IBlobLoader _loader;
    private readonly RestoreOptions _options;
    private readonly RestoreProgress _progress;
    private readonly List<PathPattern> _includes;
    private readonly List<PathPattern> _excludes;
    private readonly DirectoriesToFinish _directories;
    private readonly Dictionary<(ulong Device, ulong Inode), RestoreFile> _linkGroups = [];
    private RestoreBatch _batch = new();
    private BatchWriter? _writer;
    private ConfinedDirectory? _target;
    private MetadataWriter? _metadata;
    private DirectoryMaker? _making;

    /// <summary>Creates a restorer.</summary>
    public Restorer(IBlobLoader loader, RestoreOptions options, RestoreProgress progress)
        : this(loader, options, progress, new DirectoriesToFinish())
    {
    }

    /// <summary>Creates a restorer that keeps the directories to finish in <paramref name="directories"/> (it disposes of it).</summary>
    internal Restorer(IBlobLoader loader, RestoreOptions options, RestoreProgress progress, DirectoriesToFinish directories)
    {
        ArgumentNullException.ThrowIfNull(options);
        _directories = directories;
        _loader = loader;
        _options = options;
        _progress = progress;
        _includes = options.Includes.Select(p => new PathPattern(p)).ToList();
        _excludes = options.Excludes.Select(p => new PathPattern(p)).ToList();
    }

    /// <summary>
    /// Restores <paramref name="node"/> (found at <paramref name="snapshotPath"/> in the snapshot) into
    /// <paramref name="target"/>: a directory's contents land directly in the target, a file lands in it by name.
    /// </summary>
    public async Task<RestoreResult> RunAsync(Node node, string snapshotPath, string target, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        var existed = Directory.Exists(target);
        var targetBytes = DirectoryMaker.MakeTarget(Path.TrimEndingDirectorySeparator(Path.GetFullPath(target)));
        try
        {
            _target = ConfinedDirectory.Open(targetBytes);
        }
        catch (PosixException e)
        {
            throw new CairnException(ErrorKind.InvalidInput, $"cannot open {Posix.Display(targetBytes)}: {e.Message}");
        }
        using var confined = _target;
        using var directories = _directories;
        if (_target.Status.Uid != Posix.EffectiveUserId)
            _progress.Warning(Posix.Display(targetBytes), $"the target belongs to another user (uid {_target.Status.Uid}), who can reach what is restored into it");
        _metadata = new MetadataWriter(_target, _options, _progress);
        _making = new DirectoryMaker(_target, _metadata, _options, _progress);
        if (existed)
            Metadata.NoteInheritance(targetBytes);
        var components = snapshotPath.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _writer = new BatchWriter(_loader, _options, _progress, confined, Metadata, stop);
        try
        {
            if (node.Kind == FileKind.Directory)
            {
                await using var trees = new TreePrefetcher(_loader, node, components, IsExcluded, NamesMatter, capacity: 256, stop.Token);
                await PlanDirectoryAsync(node, targetBytes, components, trees, stop.Token).ConfigureAwait(false);
            }
            else if (IsRestorableName(node, targetBytes))
                PlanEntry(node, targetBytes);
            _progress.PlanningDone();
            await WriteBatchAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Planning failed, or stopped because writing failed (which then is the failure reported): the batch
            // being written stops too, before the target is closed.
            await Writer.StopAsync().ConfigureAwait(false);
            throw;
        }
        await Writer.WrittenAsync().ConfigureAwait(false);
        // Flags after links (nothing links to an immutable file), directories last and deepest first, so that
        // writing into them does not change their times again, each one's flags after its times.
        foreach (var file in Writer.LinkedFlagged)
            Metadata.ApplyFileFlags(file);
        foreach (var (path, directory) in _directories.InOrder())
        {
            Metadata.FinishDirectory(path, directory);
            _progress.FileDone();
        }
        if (node.Kind == FileKind.Directory && components.Count > 0)
            Metadata.FinishDirectory(targetBytes, node);
        return new RestoreResult(_progress.FilesDone, Writer.Bytes, _progress.Errors, Metadata.NotApplied, Writer.Verified, Metadata.Dropped);
    }

    /// <summary>Plans a directory's entries, depth first; its tree and those below come from <paramref name="trees"/>.</summary>
    private async Task PlanDirectoryAsync(Node directory, byte[] targetPath, List<string> components, TreePrefetcher trees, CancellationToken ct)
    {
        if (directory.Subtree is not { } subtree)
            return;
        Making.Enter(targetPath, directory);
        try
        {
            await PlanEntriesAsync(subtree, targetPath, components, trees, ct).ConfigureAwait(false);
        }
        finally
        {
            Making.Leave();
        }
    }

    private async Task PlanEntriesAsync(BlobId subtree, byte[] targetPath, List<string> components, TreePrefetcher trees, CancellationToken ct)
    {
        IReadOnlyList<Node> children;
        try
        {
            children = await trees.NextAsync(subtree, ct).ConfigureAwait(false);
        }
        catch (RepositoryCorruptException e)
        {
            _progress.Error(Posix.Display(targetPath), $"directory contents lost: {e.Message}");
            return;
        }
        // Names are decoded for include and exclude patterns only; the directory itself is made before its first
        // entry (it may not be when only entries deeper down are included).
        var matching = NamesMatter;
        var made = false;
        var lookalikes = FoldedNames.EarlierLookalikes(children);
        var restored = new bool[lookalikes is null ? 0 : children.Count];
        bool? mayFold = null;
        for (var i = 0; i < children.Count; i++)
        {
            var child = children[i];
            ct.ThrowIfCancellationRequested();
            if (!IsRestorableName(child, targetPath))
                continue; // nor anything below it (the tree walk skips it too)
            if (matching)
                components.Add(Encoding.UTF8.GetString(child.Name));
            if (!IsExcluded(components))
            {
                if (child.Kind == FileKind.Directory)
                {
                    // A directory not included itself is made only if an entry below it is; either way, once made it
                    // gets its own metadata, kept after its descendants' so that it is finished after them.
                    var childTarget = PathBytes.Join(targetPath, child.Name);
                    var included = IsIncluded(components);
                    if (lookalikes is not null && RestoredLookalike(children, lookalikes, restored, i, targetPath, ref mayFold) is { } earlier)
                    {
                        if (await trees.SkipAsync(child, components, IsIncluded, ct).ConfigureAwait(false) || included)
                            ReportLookalike(childTarget, child, earlier);
                    }
                    else
                    {
                        if (included)
                            Making.Make(childTarget, child);
                        await PlanDirectoryAsync(child, childTarget, components, trees, ct).ConfigureAwait(false);
                        if (Target.Knows(childTarget)) // made, because included or for an entry below it
                        {
                            _directories.Add(childTarget, child);
                            _progress.Planned(0);
                            if (lookalikes is not null)
                                restored[i] = true;
                        }
                    }
                }
                else if (IsIncluded(components))
                {
                    if (lookalikes is not null && RestoredLookalike(children, lookalikes, restored, i, targetPath, ref mayFold) is { } earlier)
                    {
                        ReportLookalike(PathBytes.Join(targetPath, child.Name), child, earlier);
                    }
                    else
                    {
                        if (!made)
                            Making.MakeForEntries(targetPath);
                        made = true;
                        var planned = PlanEntry(child, targetPath);
                        if (lookalikes is not null)
                            restored[i] = planned;
                        if (_batch.IsFull)
                            await WriteBatchAsync().ConfigureAwait(false);
                    }
                }
            }
            if (matching)
                components.RemoveAt(components.Count - 1);
        }
    }

    /// <summary>
    /// The entry restored before <paramref name="index"/> in <paramref name="directory"/> whose name the filesystem
    /// takes for its name (<see cref="FoldedNames"/>), or null: restoring it would replace that entry or, for
    /// directories, mix their contents. <paramref name="mayFold"/> keeps whether the directory's filesystem folds
    /// names at all, asked at the first lookalike.
    /// </summary>
    private Node? RestoredLookalike(IReadOnlyList<Node> children, int[] lookalikes, bool[] restored, int index, byte[] directory, ref bool? mayFold)
    {
        for (var j = lookalikes[index]; j >= 0; j = lookalikes[j])
        {
            if (!restored[j])
                continue;
            mayFold ??= Making.MayFold(directory);
            if (mayFold == false)
                return null;
            switch (Making.TakesForOneAnother(directory, children[index].Name, children[j].Name, out var failure))
            {
                case true:
                    return children[j];
                case null:
                    _progress.Warning(Posix.Display(PathBytes.Join(directory, children[index].Name)),
                        $"could not ask the filesystem whether it takes this name for {PathBytes.Display(children[j].Name)}: {failure}; " +
                        "restored, in its place if it does");
                    return null;
            }
        }
        return null;
    }

    private void ReportLookalike(byte[] path, Node node, Node earlier) =>
        _progress.Error(Posix.Display(path),
            $"{(node.Kind == FileKind.Directory ? "directory not restored, nor anything in it" : "not restored")}: this filesystem takes its name for " +
            $"{PathBytes.Display(earlier.Name)}, restored beside it (it does not tell apart names that differ only in case or Unicode form); " +
            "restore it to another filesystem");

    /// <summary>
    /// Whether an entry's name can be restored (<see cref="PathBytes.IsEntryName"/>); one that cannot, from a
    /// damaged or crafted tree, is reported as an error and left out with everything below it.
    /// </summary>
    private bool IsRestorableName(Node node, byte[] directory)
    {
        if (PathBytes.IsEntryName(node.Name))
            return true;
        _progress.Error(Posix.Display(directory), $"entry named {PathBytes.Display(node.Name)} not restored: not a name a directory entry can have (a damaged or crafted snapshot)");
        return false;
    }

    /// <summary>
    /// Plans one entry that is not a directory, in <paramref name="directory"/>, which exists; true when it is planned
    /// or made (not a socket, a device a user other than root cannot make, or one that failed).
    /// </summary>
    private bool PlanEntry(Node node, byte[] directory)
    {
        if (node.Kind == FileKind.File)
        {
            PlanFile(node, directory);
            return true;
        }
        var path = PathBytes.Join(directory, node.Name);
        try
        {
            switch (node.Kind)
            {
                case FileKind.Symlink when node.LinkTarget is { } target && target.AsSpan().IndexOf((byte)0) >= 0:
                    _progress.Error(Posix.Display(path), "symlink not restored: its target holds a NUL byte (a damaged or crafted snapshot)");
                    return false;
                case FileKind.Symlink:
                    Target.Unlink(path);
                    Target.Symlink(node.LinkTarget ?? [], path);
                    _progress.Planned(0);
                    Metadata.ApplyMetadata(path, node);
                    _progress.FileDone();
                    return true;
                case FileKind.Fifo or FileKind.CharDevice or FileKind.BlockDevice:
                    Target.Unlink(path);
                    _progress.Planned(0);
                    try
                    {
                        Target.MakeNode(path, node.Kind, 0x180, node.Rdev);
                    }
                    catch (PosixException e) when (node.Kind != FileKind.Fifo && e.Errno is PosixException.EPERM)
                    {
                        Metadata.Drop(MetadataKind.DeviceFile, e, path); // only root makes devices
                        _progress.FileDone();
                        return false;
                    }
                    Metadata.ApplyMetadata(path, node);
                    _progress.FileDone();
                    return true;
                default:
                    // A socket belongs to the process that listened on it; a new one would be useless.
                    _progress.Warning(Posix.Display(path), $"{node.Kind.ToString().ToLowerInvariant()} recorded in the snapshot, not recreated (only its server can make a working one)");
                    return false;
            }
        }
        catch (PosixException e) when (e.IsNoSpace)
        {
            throw new CairnException(ErrorKind.NoSpace, $"the restore target is full: {e.Message}", "free space on the target and run the restore again");
        }
        catch (PosixException e)
        {
            _progress.Error(Posix.Display(path), e.Message);
            return false;
        }
    }

    /// <summary>
    /// Plans a regular file: maps its blobs to their offsets in it, or, for a later name of a hard-link group (same
    /// device and inode on the source), a link to the first name restored here, made once the batch is written.
    /// Nothing is created yet; a file's path is made when it is opened, so the plan holds directories' paths only.
    /// </summary>
    private void PlanFile(Node node, byte[] directory)
    {
        if (node.Links > 1 && _linkGroups.TryGetValue((node.Device, node.Inode), out var first))
        {
            _batch.Links.Add((PathBytes.Join(directory, node.Name), first));
            _progress.Planned(0);
            return;
        }
        var file = new RestoreFile(directory, node, Metadata.LayoutFlagsOf(node), Metadata.SetsFlags(node));
        if (node.Links > 1)
            _linkGroups[(node.Device, node.Inode)] = file;
        _batch.Add(file, _loader.Index);
        _progress.Planned(node.Size);
    }

    /// <summary>Hands the batch planned so far to the writer (once the one before it is written) and starts a new one.</summary>
    private async Task WriteBatchAsync()
    {
        var batch = _batch;
        _batch = new RestoreBatch();
        await Writer.StartAsync(batch).ConfigureAwait(false);
    }

    private bool IsIncluded(List<string> components)
    {
        if (_includes.Count == 0)
            return true;
        for (var n = components.Count; n > 0; n--)
        {
            var prefix = components.GetRange(0, n);
            if (_includes.Any(p => p.Matches(prefix)))
                return true;
        }
        return false;
    }

    /// <summary>The target directory, below which no symlink is followed (open while <see cref="RunAsync"/> runs).</summary>
    private ConfinedDirectory Target => _target ?? throw new InvalidOperationException("the restore has not started");

    private MetadataWriter Metadata => _metadata ?? throw new InvalidOperationException("the restore has not started");

    private DirectoryMaker Making => _making ?? throw new InvalidOperationException("the restore has not started");

    private BatchWriter Writer => _writer ?? throw new InvalidOperationException("the restore has not started");

    /// <summary>Whether include or exclude patterns look at entries' paths.</summary>
    private bool NamesMatter => _includes.Count > 0 || _excludes.Count > 0;

    private bool IsExcluded(List<string> components) => _excludes.Count > 0 && _excludes.Any(p => p.Matches(components));
}
