using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading.Channels;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Repository;
using Cairn.Core.Trees;

namespace Cairn.Core.Restore;

/// <summary>
/// Loads the trees of a restore on a task of its own, ahead of the planner and in the order the planner asks for
/// them: depth first, children in their stored order, skipping directories that <c>isExcluded</c> rejects,
/// directories without a tree and directories whose name cannot be restored. The planner's bookkeeping and
/// <c>mkdir</c> calls then overlap the reading, decrypting and decoding of the trees it needs next. At most
/// <c>capacity</c> loaded trees wait, holding at most about <see cref="NodeBudget"/> entries between them (a tree
/// larger than that waits alone): a snapshot of large directories is not loaded whole ahead of the planner.
/// </summary>
internal sealed class TreePrefetcher : IAsyncDisposable
{
    private readonly IBlobLoader _loader;
    private readonly Func<List<string>, bool> _isExcluded;
    private readonly bool _namesMatter;
    /// <summary>Entries of the loaded trees that may wait for the planner, about.</summary>
    internal const int NodeBudget = 16384;

    /// <summary>Entries per unit of <see cref="_room"/>.</summary>
    private const int NodesPerUnit = 64;

    private readonly Channel<LoadedTree> _trees;
    private readonly SemaphoreSlim _room = new(NodeBudget / NodesPerUnit);
    private readonly CancellationTokenSource _stop;
    private readonly Task _walk;

    /// <summary>
    /// Starts loading the trees under <paramref name="root"/>, found at <paramref name="components"/> in the
    /// snapshot; <paramref name="namesMatter"/> says whether <paramref name="isExcluded"/> looks at the path (when
    /// false, the planner does not collect names and the walk does not either).
    /// </summary>
    public TreePrefetcher(IBlobLoader loader, Node root, IReadOnlyList<string> components, Func<List<string>, bool> isExcluded,
        bool namesMatter, int capacity, CancellationToken ct)
    {
        _loader = loader;
        _isExcluded = isExcluded;
        _namesMatter = namesMatter;
        _trees = Channel.CreateBounded<LoadedTree>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _walk = Task.Run(() => WalkAllAsync(root, [.. components]), CancellationToken.None);
    }

    /// <summary>
    /// The children of the next directory in the walk, which must be <paramref name="subtree"/>; throws what
    /// loading it threw (a <see cref="RepositoryCorruptException"/> for a damaged tree, whose directory the walk
    /// did not enter either).
    /// </summary>
    public async ValueTask<IReadOnlyList<Node>> NextAsync(BlobId subtree, CancellationToken ct)
    {
        var next = await _trees.Reader.ReadAsync(ct).ConfigureAwait(false);
        if (next.Units > 0)
            _room.Release(next.Units);
        if (next.Id != subtree)
            throw new InvalidOperationException($"the restore planner asked for tree {subtree.Digest.Short} where the tree walk loaded {next.Id.Digest.Short}");
        if (next.Error is { } error)
            ExceptionDispatchInfo.Throw(error);
        return next.Children!;
    }

    /// <summary>
    /// Takes, unused, the trees the walk loaded for <paramref name="directory"/> (found at <paramref name="components"/>)
    /// and below it, for a directory the planner leaves out after all, following the walk's own rules; returns whether
    /// <paramref name="wanted"/> said yes to any entry below it that is not excluded (given each one's path).
    /// </summary>
    public async ValueTask<bool> SkipAsync(Node directory, List<string> components, Func<List<string>, bool> wanted, CancellationToken ct)
    {
        if (directory.Subtree is not { } subtree)
            return false;
        IReadOnlyList<Node> children;
        try
        {
            children = await NextAsync(subtree, ct).ConfigureAwait(false);
        }
        catch (RepositoryCorruptException)
        {
            return false; // the walk did not enter it either
        }
        var any = false;
        foreach (var child in children)
        {
            if (!PathBytes.IsEntryName(child.Name))
                continue;
            if (_namesMatter)
                components.Add(Encoding.UTF8.GetString(child.Name));
            if (!_isExcluded(components))
            {
                any |= wanted(components);
                if (child.Kind == FileKind.Directory)
                    any |= await SkipAsync(child, components, wanted, ct).ConfigureAwait(false);
            }
            if (_namesMatter)
                components.RemoveAt(components.Count - 1);
        }
        return any;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _walk.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopped before the end, as asked
        }
        _stop.Dispose();
        _room.Dispose();
    }

    private async Task WalkAllAsync(Node root, List<string> components)
    {
        try
        {
            await WalkAsync(root, components).ConfigureAwait(false);
        }
        finally
        {
            _trees.Writer.TryComplete();
        }
    }

    /// <summary>Loads one directory's tree and then, depth first, its subdirectories'; false once the walk must stop.</summary>
    private async Task<bool> WalkAsync(Node directory, List<string> components)
    {
        if (directory.Subtree is not { } subtree)
            return true;
        IReadOnlyList<Node> children;
        try
        {
            children = await _loader.LoadTreeOnceAsync(subtree, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The planner reports a damaged tree and goes on without its directory; anything else ends the restore.
            await _trees.Writer.WriteAsync(new LoadedTree(subtree, null, e, 0), _stop.Token).ConfigureAwait(false);
            return e is RepositoryCorruptException;
        }
        var units = Math.Min((children.Count + NodesPerUnit - 1) / NodesPerUnit, NodeBudget / NodesPerUnit);
        for (var i = 0; i < units; i++)
            await _room.WaitAsync(_stop.Token).ConfigureAwait(false);
        await _trees.Writer.WriteAsync(new LoadedTree(subtree, children, null, units), _stop.Token).ConfigureAwait(false);
        foreach (var child in children)
        {
            if (child.Kind != FileKind.Directory || !PathBytes.IsEntryName(child.Name))
                continue; // the planner leaves out an entry whose name cannot be restored, and all below it
            if (_namesMatter)
                components.Add(Encoding.UTF8.GetString(child.Name));
            var goOn = _isExcluded(components) || await WalkAsync(child, components).ConfigureAwait(false);
            if (_namesMatter)
                components.RemoveAt(components.Count - 1);
            if (!goOn)
                return false;
        }
        return true;
    }

    /// <summary>A tree the walk loaded (or the error loading it threw), and the units of room it takes.</summary>
    private readonly record struct LoadedTree(BlobId Id, IReadOnlyList<Node>? Children, Exception? Error, int Units);
}
