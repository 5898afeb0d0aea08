using System.Security.Cryptography;
using System.Text;
using Cairn.Core.Platform;
using Cairn.Core.Trees;

namespace Cairn.Core.Restore;

/// <summary>
/// Makes the snapshot's directories inside a restore's target as the planner reaches them, with their missing
/// parents: a directory that is there is taken in as it is or made the restore's until it is finished (see
/// <see cref="MakeDirectoryReplacing"/>), and one that cannot be made is an error for it and what goes below it.
/// Which directories are made is <see cref="ConfinedDirectory.Knows"/>; the planner's chain of directories gives a
/// parent made only for an entry below it its place in the snapshot.
/// </summary>
internal sealed class DirectoryMaker(ConfinedDirectory target, MetadataWriter metadata, RestoreOptions options, RestoreProgress progress)
{
    private readonly HashSet<string> _unmade = [];
    private readonly List<(byte[] Path, Node Node)> _planning = []; // the directories being planned, outermost first

    /// <summary>
    /// Makes the target directory and its missing ancestors; returns its path. They are the user's, not the
    /// snapshot's: a symlink to a directory among them is followed (a target under /home where /home links to
    /// /data/home), while inside the target nothing the restore makes a directory is a symlink.
    /// </summary>
    public static byte[] MakeTarget(string target)
    {
        var path = PathBytes.FromString(target);
        if (!Directory.Exists(target))
        {
            if (Path.GetDirectoryName(target) is { } parent)
                MakeTarget(parent);
            Mkdir(path, () => Posix.Mkdir(path));
        }
        return path;
    }

    /// <summary>
    /// Makes a directory inside the target and its missing parents; <paramref name="node"/> is the directory in the
    /// snapshot. One that cannot be made (a symlink put in the way of a parent meanwhile, a directory that refuses) is
    /// an error for it, and what would go below it fails when it is written; the restore goes on with the rest.
    /// </summary>
    public void Make(byte[] path, Node? node)
    {
        var key = Key(path);
        if (target.Knows(path) || _unmade.Contains(key))
            return;
        var parent = ParentOf(path);
        if (parent.Length > 0 && parent.Length < path.Length)
        {
            Make(parent, NodeOf(parent));
            if (_unmade.Contains(Key(parent)))
            {
                _unmade.Add(key);
                return;
            }
        }
        try
        {
            Mkdir(path, () => MakeDirectoryReplacing(path, node));
        }
        catch (CairnException e) when (e.Kind == ErrorKind.InvalidInput)
        {
            progress.Error(Posix.Display(path), e.Message);
            _unmade.Add(key);
        }
    }

    /// <summary>
    /// Whether the filesystem takes <paramref name="name"/> for <paramref name="other"/> in <paramref name="directory"/>
    /// (made or taken in): a file made there under a name of the restore's own ending in <paramref name="other"/> is
    /// found under the same name ending in <paramref name="name"/>. (Found at all: the random prefix makes it the
    /// probe, where a FUSE filesystem may number one file differently under each name.) Neither entry needs to exist
    /// yet. Null, with <paramref name="failure"/>, when the filesystem does not say (a name too long for the prefix, a
    /// directory that refuses new files, an I/O error).
    /// </summary>
    public bool? TakesForOneAnother(byte[] directory, byte[] name, byte[] other, out string? failure)
    {
        var prefix = Encoding.ASCII.GetBytes($".cairn-probe-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}-");
        var made = PathBytes.Join(directory, [.. prefix, .. other]);
        failure = null;
        try
        {
            target.CreateNew(made, 0x180).Dispose();
        }
        catch (PosixException e)
        {
            failure = e.Message;
            return null;
        }
        try
        {
            target.OpenEntry(PathBytes.Join(directory, [.. prefix, .. name])).Dispose();
            return true;
        }
        catch (PosixException e) when (e.Errno == PosixException.ENOENT)
        {
            return false;
        }
        catch (PosixException e)
        {
            failure = e.Message;
            return null;
        }
        finally
        {
            try
            {
                target.Unlink(made);
            }
            catch (PosixException e)
            {
                progress.Warning(Posix.Display(made), $"probe file not removed: {e.Message}");
            }
        }
    }

    /// <summary>
    /// Whether the filesystem of <paramref name="directory"/> may take one name for another: it folds "A" and "a", or
    /// "é" and "e" with a combining accent, or does not say (<see cref="TakesForOneAnother"/>). Asked once for a
    /// directory with lookalike names, so that a filesystem which tells names apart costs two probes, not one a pair.
    /// </summary>
    public bool MayFold(byte[] directory) =>
        TakesForOneAnother(directory, "a"u8.ToArray(), "A"u8.ToArray(), out _) != false
        || TakesForOneAnother(directory, "e\u0301"u8.ToArray(), "\u00e9"u8.ToArray(), out _) != false;

    /// <summary>Makes the directory being planned at <paramref name="path"/> (and its missing parents) for an entry in it.</summary>
    public void MakeForEntries(byte[] path) => Make(path, NodeOf(path));

    /// <summary>Notes that the planner entered the snapshot's directory <paramref name="node"/>, restored at <paramref name="path"/>.</summary>
    public void Enter(byte[] path, Node node) => _planning.Add((path, node));

    /// <summary>Notes that the planner left the directory it entered last.</summary>
    public void Leave() => _planning.RemoveAt(_planning.Count - 1);

    /// <summary>The snapshot's directory being planned at <paramref name="path"/>; null for one above the restore.</summary>
    private Node? NodeOf(byte[] path)
    {
        for (var i = _planning.Count - 1; i >= 0; i--)
        {
            if (_planning[i].Path.AsSpan().SequenceEqual(path))
                return _planning[i].Node;
        }
        return null;
    }

    /// <summary>
    /// Makes a directory of the snapshot; a file, symlink or special file in its place (an older tree) is replaced, as
    /// files are. A directory that is there is taken in as it is when it lets no one more into it than the snapshot's
    /// would: the owner and group the snapshot gives it, no write permission for group or others the snapshot's mode
    /// lacks, and the sticky bit where the snapshot's has it (ACL entries are not compared). Otherwise (restoring
    /// owners, as root) it is the restore's until its own metadata is set at the end, so that nothing restored into it
    /// is within reach of someone who made it or may write to it.
    /// </summary>
    private void MakeDirectoryReplacing(byte[] path, Node? node)
    {
        // Sticky where the snapshot's is, too: without it, others who may write to it may rename what goes into it.
        Func<FileStatus, bool>? keeps = node is null || options.NoOwner || Posix.EffectiveUserId != 0
            ? null
            : existing => (existing.Uid, existing.Gid) == metadata.OwnerOf(node) && (existing.Mode & 0x12 & ~node.Mode) == 0
                && (node.Mode & 0x200 & ~existing.Mode) == 0;
        bool made;
        try
        {
            made = target.Mkdir(path, keeps: keeps);
        }
        catch (PosixException e) when (e.Errno == PosixException.EEXIST)
        {
            target.Unlink(path);
            made = target.Mkdir(path, keeps: keeps); // a directory made meanwhile by someone else is judged as any other
        }
        if (!made)
            metadata.NoteInheritance(path);
    }

    private static void Mkdir(byte[] path, Action mkdir)
    {
        try
        {
            mkdir();
        }
        catch (PosixException e) when (e.IsNoSpace)
        {
            throw new CairnException(ErrorKind.NoSpace, $"the restore target is full: {e.Message}", "free space on the target and run the restore again");
        }
        catch (PosixException e)
        {
            throw new CairnException(ErrorKind.InvalidInput, $"cannot create {Posix.Display(path)}: {e.Message}");
        }
    }

    private static byte[] ParentOf(byte[] path)
    {
        var end = path.Length;
        while (end > 1 && path[end - 1] == (byte)'/')
            end--;
        var slash = Array.LastIndexOf(path, (byte)'/', end - 1);
        return slash <= 0 ? "/"u8.ToArray() : path[..slash];
    }

    private static string Key(byte[] path) => Encoding.Latin1.GetString(path);
}
