namespace Cairn.Commands;

/// <summary>Where the repository password comes from, in order: file, command, <c>CAIRN_PASSWORD</c>, a prompt.</summary>
/// <param name="File">A file whose first line is the password.</param>
/// <param name="Command">A command whose standard output's first line is the password.</param>
public sealed record PasswordOptions(string? File = null, string? Command = null);
