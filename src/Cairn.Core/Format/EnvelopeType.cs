namespace Cairn.Core.Format;

/// <summary>The kind of payload an <see cref="Envelope"/> carries; bound into its authentication.</summary>
public enum EnvelopeType : byte
{
    /// <summary>The repository configuration (JSON).</summary>
    Config = 1,
    /// <summary>An index file (binary).</summary>
    Index = 2,
    /// <summary>A snapshot's summary section (JSON).</summary>
    SnapshotSummary = 3,
    /// <summary>A snapshot's detail section (JSON).</summary>
    SnapshotDetail = 4,
    /// <summary>A lock (JSON).</summary>
    Lock = 5,
    /// <summary>A pack header (binary).</summary>
    PackHeader = 6,
    /// <summary>A deletion note of prune (JSON).</summary>
    DeletionNote = 7,
    /// <summary>A hold on a snapshot (JSON).</summary>
    Hold = 8,
    /// <summary>A named retention policy (JSON).</summary>
    Policy = 9,
    /// <summary>ID and chunker keys shared with another repository, inside the config (binary, sealed with the data key).</summary>
    IdKeys = 10,
}
