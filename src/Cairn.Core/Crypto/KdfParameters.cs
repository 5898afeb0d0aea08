using System.Text.Json.Serialization;

namespace Cairn.Core.Crypto;

/// <summary>Argon2id parameters, stored in each key file so they can be raised for new keys without breaking old ones.</summary>
/// <param name="MemoryKiB">Memory cost in KiB.</param>
/// <param name="Iterations">Number of passes.</param>
/// <param name="Parallelism">Degree of parallelism (lanes).</param>
public sealed record KdfParameters(
    [property: JsonPropertyName("memory_kib")] int MemoryKiB,
    [property: JsonPropertyName("iterations")] int Iterations,
    [property: JsonPropertyName("parallelism")] int Parallelism)
{
    /// <summary>The default for new keys: 64 MiB, 3 passes, 1 lane (about 0.15 s on this project's reference machine).</summary>
    public static KdfParameters Default { get; } = new(64 * 1024, 3, 1);

    /// <summary>
    /// The weakest parameters accepted when opening a key, so a forged key file cannot make cracking cheap
    /// without the user noticing: 8 MiB, 1 pass.
    /// </summary>
    public static KdfParameters Minimum { get; } = new(8 * 1024, 1, 1);

    /// <summary>True when these parameters are at least <see cref="Minimum"/> and at most what is sane to run (not stored).</summary>
    [JsonIgnore]
    public bool IsAcceptable =>
        MemoryKiB >= Minimum.MemoryKiB && MemoryKiB <= 4 * 1024 * 1024
        && Iterations >= Minimum.Iterations && Iterations <= 100
        && Parallelism == 1; // libsodium's Argon2id has one lane
}
