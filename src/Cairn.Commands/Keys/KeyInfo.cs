namespace Cairn.Commands.Keys;

/// <summary>One key as <c>cairn key list</c> shows it.</summary>
public sealed record KeyInfo(string Id, bool Current, DateTimeOffset Created, string Host, string Username);
