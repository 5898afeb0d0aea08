namespace Cairn.Commands.Init;

/// <summary>What <c>cairn init</c> created.</summary>
/// <param name="Id">The repository's ID.</param>
/// <param name="Location">Where it is.</param>
public sealed record InitResult(string Id, string Location);
