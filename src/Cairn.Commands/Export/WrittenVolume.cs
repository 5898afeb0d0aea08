namespace Cairn.Commands.Export;

/// <summary>One volume as it went to its medium.</summary>
/// <param name="Number">1 for the first.</param>
/// <param name="Path">Where it went ("-" for standard output).</param>
/// <param name="Members">Archive entries in it.</param>
/// <param name="Bytes">Its length on the medium, header, compression and filter included.</param>
/// <param name="FirstPath">Its first member.</param>
/// <param name="LastPath">Its last member.</param>
/// <param name="Verified">True when it was read back and matched.</param>
public sealed record WrittenVolume(int Number, string Path, long Members, long Bytes, string? FirstPath, string? LastPath, bool Verified);
