namespace Cairn.Core.Prune;

/// <summary>Settings of one prune.</summary>
public sealed record PruneOptions
{
    /// <summary>Plan and report; change nothing.</summary>
    public bool DryRun { get; init; }
    /// <summary>The unused data prune may leave in kept packs.</summary>
    public PruneLimit MaxUnused { get; init; } = PruneLimit.Default;
    /// <summary>Overwrite each pack with zeros before deleting it (stores that can overwrite in place).</summary>
    public bool OverwriteFreed { get; init; }
    /// <summary>At most this many bytes of packs are repacked in one run.</summary>
    public long MaxRepackBytes { get; init; } = long.MaxValue;
}
