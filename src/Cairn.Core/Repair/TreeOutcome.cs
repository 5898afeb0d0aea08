using Cairn.Core.Format;

namespace Cairn.Core.Repair;

/// <summary>What repairing one tree gave: the tree to use, whether it differs, and what is left out below it.</summary>
internal sealed record TreeOutcome(BlobId Tree, bool Changed, bool Lost, IReadOnlyList<string> LostPaths)
{
    /// <summary>A tree that cannot be read at all.</summary>
    public static TreeOutcome WhollyLost { get; } = new(default, Changed: true, Lost: true, []);

    /// <summary>A tree with everything below it intact.</summary>
    public static TreeOutcome Intact(BlobId tree) => new(tree, Changed: false, Lost: false, []);
}
