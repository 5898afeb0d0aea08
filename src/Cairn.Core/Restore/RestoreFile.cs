using Cairn.Core.Trees;

namespace Cairn.Core.Restore;

/// <summary>A regular file being restored: where it goes and how many blobs are still to be written.</summary>
internal sealed class RestoreFile(byte[] path, Node node)
{
    private int _remaining = node.Content.Count;
    private int _failed;

    public byte[] Path { get; } = path;

    public Node Node { get; } = node;

    public bool Failed => Volatile.Read(ref _failed) != 0;

    /// <summary>Marks one blob written; true when it was the last.</summary>
    public bool BlobDone(int count = 1) => Interlocked.Add(ref _remaining, -count) == 0;

    /// <summary>Marks the file as incomplete; true the first time.</summary>
    public bool Fail() => Interlocked.Exchange(ref _failed, 1) == 0;
}
