namespace Cairn.Core.Check;

/// <summary>How thoroughly to check.</summary>
/// <param name="ReadDataPercent">Share of packs, chosen at random, to read completely and verify blob by blob: 0 (headers only) to 100.</param>
/// <param name="ReadDataSlice">
/// Instead of a random share: part N of M (1-based), a fixed slice of the packs by ID, so that M runs with N = 1…M
/// read every pack once (<c>--read-data-subset N/M</c>).
/// </param>
public sealed record CheckOptions(double ReadDataPercent = 0, (int Part, int Of)? ReadDataSlice = null);
