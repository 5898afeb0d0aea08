using Cairn.Core.Trees;

namespace Cairn.Core.Backup;

/// <summary>
/// The first name of a hard-link group that a backup met, for the group's later names: they wait for its save, then
/// take its <see cref="LinkedContent"/>. A group's names may lie anywhere in the tree (rsnapshot's copies), so every
/// group is kept to the end of the backup; once saved, it keeps only what later names take, not the node and its
/// task (about 300 bytes a group).
/// </summary>
internal sealed class HardLinkGroup(Task<Node?> saving)
{
    private Task<Node?>? _saving = saving;
    private LinkedContent? _saved;

    /// <summary>What later names take from the first name, once it is saved; null when it could not be read.</summary>
    public async ValueTask<LinkedContent?> FirstAsync()
    {
        if (Volatile.Read(ref _saving) is { } saving)
            return LinkedContent.Of(await saving.ConfigureAwait(false));
        return _saved;
    }

    /// <summary>Keeps what later names take from the saved first name (<paramref name="first"/>), and lets go of its save.</summary>
    public void Settle(Node? first)
    {
        _saved = LinkedContent.Of(first);
        Volatile.Write(ref _saving, null);
    }
}
