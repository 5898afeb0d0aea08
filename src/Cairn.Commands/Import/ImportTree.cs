using System.Text;
using Cairn.Core.Archive;
using Cairn.Core.Buffers;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Repository;
using Cairn.Core.Trees;

namespace Cairn.Commands.Import;

/// <summary>
/// The entries of an archive as a directory tree in memory (metadata and blob IDs only, never content), so that
/// entries may come in any order, and saved bottom-up once the archive is read. A later entry of the same path
/// replaces an earlier one, as extracting the archive would. Directories the paths imply but the archive lacks
/// get mode 0755, root as owner and the import's time.
/// </summary>
internal sealed class ImportTree(PosixTime importTime)
{
    private const uint ImpliedDirectoryMode = 0x1ED; // 0755

    private readonly ImportDirectory _root = new();

    /// <summary>Directories in the tree, once it is saved.</summary>
    public long Directories { get; private set; }

    /// <summary>Names of regular files in the tree, once it is saved.</summary>
    public long Files { get; private set; }

    /// <summary>Entries of every kind, once it is saved.</summary>
    public long Entries { get; private set; }

    /// <summary>The sum of the sizes of the regular files, once it is saved.</summary>
    public long FileBytes { get; private set; }

    /// <summary>The names at the top of the tree, sorted by their bytes.</summary>
    public IEnumerable<byte[]> TopLevelNames =>
        _root.Directories.Keys.Concat(_root.Others.Keys).Order(StringComparer.Ordinal).Select(Encoding.Latin1.GetBytes);

    /// <summary>Adds a directory's own entry; it and its parents are made when missing.</summary>
    public void AddDirectory(IReadOnlyList<byte[]> path, TarEntry entry)
    {
        var parent = ParentOf(path);
        var name = Key(path[^1]);
        parent.Others.Remove(name);
        if (!parent.Directories.TryGetValue(name, out var directory))
            parent.Directories[name] = directory = new ImportDirectory();
        directory.Header = entry;
    }

    /// <summary>Adds a file, symlink, device or FIFO (replacing whatever was at its path).</summary>
    public void AddInode(IReadOnlyList<byte[]> path, ImportedInode inode)
    {
        var parent = ParentOf(path);
        var name = Key(path[^1]);
        parent.Directories.Remove(name);
        parent.Others[name] = inode;
    }

    /// <summary>Adds <paramref name="path"/> as another name of the non-directory at <paramref name="target"/>; false when there is none.</summary>
    public bool AddLink(IReadOnlyList<byte[]> path, IReadOnlyList<byte[]> target)
    {
        if (target.Count == 0)
            return false;
        var directory = _root;
        foreach (var component in target.Take(target.Count - 1))
        {
            if (!directory.Directories.TryGetValue(Key(component), out directory))
                return false;
        }
        if (!directory.Others.TryGetValue(Key(target[^1]), out var inode))
            return false;
        AddInode(path, inode);
        return true;
    }

    /// <summary>Saves every directory's tree, deepest first, and returns the root tree's ID.</summary>
    public async Task<BlobId> SaveAsync(IBlobSaver saver, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(saver);
        var names = new Dictionary<ImportedInode, uint>(ReferenceEqualityComparer.Instance);
        CountNames(_root, names);
        var numbers = new Dictionary<ImportedInode, ulong>(ReferenceEqualityComparer.Instance);
        return await SaveDirectoryAsync(_root, saver, names, numbers, ct).ConfigureAwait(false);
    }

    private static void CountNames(ImportDirectory directory, Dictionary<ImportedInode, uint> names)
    {
        foreach (var inode in directory.Others.Values)
            names[inode] = names.GetValueOrDefault(inode) + 1;
        foreach (var sub in directory.Directories.Values)
            CountNames(sub, names);
    }

    private async Task<BlobId> SaveDirectoryAsync(ImportDirectory directory, IBlobSaver saver, Dictionary<ImportedInode, uint> names,
        Dictionary<ImportedInode, ulong> numbers, CancellationToken ct)
    {
        var nodes = new List<Node>(directory.Directories.Count + directory.Others.Count);
        foreach (var (name, sub) in directory.Directories)
        {
            var subtree = await SaveDirectoryAsync(sub, saver, names, numbers, ct).ConfigureAwait(false);
            nodes.Add(DirectoryNode(Encoding.Latin1.GetBytes(name), sub.Header, subtree));
            Directories++;
            Entries++;
        }
        foreach (var (name, inode) in directory.Others)
        {
            // Hard-link groups are told apart by (device, inode): the names of a group share a number, on device 0.
            // Other entries keep inode 0, so that a directory whose entries did not change between two imports
            // encodes to the same tree.
            var links = names[inode];
            ulong number = 0;
            if (links > 1 && !numbers.TryGetValue(inode, out number))
                numbers[inode] = number = (ulong)numbers.Count + 1;
            var node = InodeNode(Encoding.Latin1.GetBytes(name), inode, number, links);
            nodes.Add(node);
            Entries++;
            if (node.Kind == FileKind.File)
            {
                Files++;
                FileBytes += node.Size;
            }
        }
        var bytes = TreeCodec.Encode(nodes);
        var id = saver.IdOf(BlobType.Tree, bytes);
        var rented = BufferPool.Shared.Rent(bytes.Length);
        bytes.CopyTo(rented, 0);
        await saver.SaveAsync(BlobType.Tree, id, rented, bytes.Length, ct).ConfigureAwait(false);
        return id;
    }

    private Node DirectoryNode(byte[] name, TarEntry? header, BlobId subtree) => header is null
        ? new Node
        {
            Name = name,
            Kind = FileKind.Directory,
            Mode = ImpliedDirectoryMode,
            User = Posix.UserName(0),
            Group = Posix.GroupName(0),
            Mtime = importTime,
            Atime = importTime,
            Ctime = importTime,
            Links = 1,
            Subtree = subtree,
        }
        : NodeOf(name, header, FileKind.Directory, 0, 1, subtree: subtree);

    private static Node InodeNode(byte[] name, ImportedInode inode, ulong number, uint links)
    {
        var h = inode.Header;
        var kind = h.Type switch
        {
            TarEntryType.File => FileKind.File,
            TarEntryType.Symlink => FileKind.Symlink,
            TarEntryType.CharDevice => FileKind.CharDevice,
            TarEntryType.BlockDevice => FileKind.BlockDevice,
            TarEntryType.Fifo => FileKind.Fifo,
            _ => throw new InvalidOperationException($"an entry of type {h.Type} is not stored as an inode"),
        };
        return NodeOf(name, h, kind, number, links, inode.Content, inode.Extents);
    }

    private static Node NodeOf(byte[] name, TarEntry h, FileKind kind, ulong inode, uint links, IReadOnlyList<BlobId>? content = null,
        IReadOnlyList<FileExtent>? extents = null, BlobId? subtree = null) => new()
    {
        Name = name,
        Kind = kind,
        Mode = h.Mode,
        Uid = h.Uid,
        Gid = h.Gid,
        User = h.UserName,
        Group = h.GroupName,
        Size = kind switch
        {
            FileKind.File => h.Size,
            FileKind.Symlink => h.LinkTarget?.Length ?? 0,
            _ => 0,
        },
        Mtime = h.Mtime,
        Atime = h.Atime ?? h.Mtime,
        Ctime = h.Ctime ?? h.Mtime,
        Inode = inode,
        Links = links,
        Content = content ?? [],
        Subtree = subtree,
        LinkTarget = kind == FileKind.Symlink ? h.LinkTarget ?? [] : null,
        Rdev = kind is FileKind.CharDevice or FileKind.BlockDevice ? ((ulong)h.DeviceMajor << 32) | h.DeviceMinor : 0,
        Extents = extents,
        Xattrs = h.Xattrs,
    };

    private ImportDirectory ParentOf(IReadOnlyList<byte[]> path)
    {
        var directory = _root;
        for (var i = 0; i < path.Count - 1; i++)
        {
            var name = Key(path[i]);
            if (!directory.Directories.TryGetValue(name, out var sub))
            {
                directory.Others.Remove(name); // a directory below a name that was not one: the later entry wins
                directory.Directories[name] = sub = new ImportDirectory();
            }
            directory = sub;
        }
        return directory;
    }

    private static string Key(byte[] name) => Encoding.Latin1.GetString(name);
}
