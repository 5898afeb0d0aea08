using Cairn.Core.Format;
using Cairn.Core.Trees;
using Cairn.Storage;

namespace Cairn.Core.Restore;

/// <summary>
/// The directories a restore made, each with its node, kept until their metadata is applied at the very end, in the
/// order they were added (a directory after everything below it, so deepest first). They are kept encoded: in memory
/// up to <see cref="InMemoryBytes"/>, then in a temporary file, unlinked as soon as it is made, so that a restore's
/// memory does not grow with the number of directories it makes (about 100 bytes each on disk instead of about
/// 500 in memory). The file is made in <paramref name="temporaryDirectory"/>, by default <see cref="Path.GetTempPath"/>
/// (TMPDIR), and only its owner may read it.
/// </summary>
internal sealed class DirectoriesToFinish(int inMemoryBytes = DirectoriesToFinish.InMemoryBytes, string? temporaryDirectory = null) : IDisposable
{
    /// <summary>How many bytes of encoded directories are kept in memory before they go to a temporary file.</summary>
    public const int InMemoryBytes = 1 << 20;

    private const int FileBufferBytes = 64 * 1024;
    private readonly string _temporaryDirectory = temporaryDirectory ?? Path.GetTempPath();
    private Stream _store = new MemoryStream();

    /// <summary>How many directories were added.</summary>
    public int Count { get; private set; }

    /// <summary>Whether the directories went to a temporary file.</summary>
    public bool Spilled => _store is FileStream;

    /// <summary>Keeps <paramref name="directory"/>, made at <paramref name="path"/> (its listing is not kept).</summary>
    public void Add(byte[] path, Node directory)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(directory);
        var node = TreeCodec.Encode([directory.Subtree is null ? directory : directory.WithBlobs([], subtree: null)]);
        try
        {
            if (!Spilled && _store.Length + path.Length + node.Length > inMemoryBytes)
                Spill();
            var writer = new BinaryWriter(_store);
            writer.Write7BitEncodedInt(path.Length);
            writer.Write(path);
            writer.Write7BitEncodedInt(node.Length);
            writer.Write(node);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unkept(e);
        }
        Count++;
    }

    /// <summary>The directories in the order they were added, each read back as it is reached.</summary>
    public IEnumerable<(byte[] Path, Node Node)> InOrder()
    {
        try
        {
            _store.Flush();
            _store.Position = 0;
        }
        catch (IOException e)
        {
            throw Unkept(e);
        }
        var reader = new BinaryReader(_store);
        for (var i = 0; i < Count; i++)
        {
            Node node;
            byte[] path;
            try
            {
                path = ReadExactly(reader);
                node = TreeCodec.Decode(ReadExactly(reader), "a directory kept for the end of the restore")[0];
            }
            catch (Exception e) when (e is IOException or RepositoryCorruptException)
            {
                throw Unkept(e);
            }
            yield return (path, node);
        }
    }

    /// <summary>
    /// Closes the store. A write the temporary file could not take was reported when it failed (or a failure elsewhere
    /// ended the restore): the bytes still buffered for it are dropped, not written again over the error that counts.
    /// </summary>
    public void Dispose()
    {
        try
        {
            _store.Dispose();
        }
        catch (IOException)
        {
            // an unlinked temporary file: nothing is lost with what it could not take
        }
    }

    /// <summary>One length-prefixed record field; a file cut short fails as an I/O error.</summary>
    private static byte[] ReadExactly(BinaryReader reader)
    {
        var length = reader.Read7BitEncodedInt();
        var bytes = reader.ReadBytes(length);
        return bytes.Length == length ? bytes : throw new EndOfStreamException("the temporary file ends early");
    }

    /// <summary>Moves what is kept so far into a new temporary file without a name (<see cref="NamelessFile"/>), kept from then on.</summary>
    private void Spill()
    {
        var file = NamelessFile.Create(_temporaryDirectory, "cairn-restore-", FileBufferBytes);
        try
        {
            _store.Position = 0;
            _store.CopyTo(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        _store.Dispose();
        _store = file;
    }

    private CairnException Unkept(Exception e)
    {
        var where = TemporaryDirectory.Describe(_temporaryDirectory);
        return e is IOException io && IoErrors.IsNoSpace(io)
            ? new CairnException(ErrorKind.NoSpace, $"the temporary directory {where} is full: the restore keeps the directories it made there until their metadata is applied",
                "free space there or set TMPDIR to another directory, and run the restore again", e)
            : new CairnException(ErrorKind.InvalidInput, $"cannot keep the directories the restore made in the temporary directory {where} until their metadata is applied: {e.Message}",
                "set TMPDIR to a directory you may write to, and run the restore again", e);
    }
}
