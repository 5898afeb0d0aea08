namespace Cairn.Core.Restore;

/// <summary>Metadata of one kind that a restore could not apply, for one reason: how often, and one example.</summary>
/// <param name="Kind">What was not applied.</param>
/// <param name="Count">How many items (attributes, ACLs, owners…) were not applied.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="Example">One path it happened to.</param>
public sealed record DroppedMetadata(MetadataKind Kind, long Count, string Reason, string Example);
