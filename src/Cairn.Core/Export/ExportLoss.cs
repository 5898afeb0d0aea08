namespace Cairn.Core.Export;

/// <summary>Metadata the chosen archive format cannot carry, with how many entries had it.</summary>
/// <param name="What">What is lost, e.g. "extended attributes".</param>
/// <param name="Entries">How many entries had it.</param>
/// <param name="FirstPath">The first of them.</param>
public sealed record ExportLoss(string What, long Entries, string FirstPath);
