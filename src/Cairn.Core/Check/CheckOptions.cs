namespace Cairn.Core.Check;

/// <summary>How thoroughly to check.</summary>
/// <param name="ReadDataPercent">Share of packs to read completely and verify blob by blob: 0 (headers only) to 100.</param>
public sealed record CheckOptions(double ReadDataPercent = 0);
