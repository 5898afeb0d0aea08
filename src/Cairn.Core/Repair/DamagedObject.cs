namespace Cairn.Core.Repair;

/// <summary>An object a repair could not read, and why.</summary>
public sealed record DamagedObject(string Name, string Reason);
