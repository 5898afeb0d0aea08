namespace Cairn.Core.Export;

/// <summary>One archive written by an export.</summary>
/// <param name="Number">1 for the first.</param>
/// <param name="Members">Entries in it.</param>
/// <param name="ArchiveBytes">Its length before compression, without the header block.</param>
/// <param name="FirstPath">The first member's path.</param>
/// <param name="LastPath">The last member's path.</param>
public sealed record ExportVolume(int Number, long Members, long ArchiveBytes, string? FirstPath, string? LastPath);
