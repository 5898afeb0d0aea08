namespace Cairn.Storage;

/// <summary>What a store knows about one object without reading it.</summary>
/// <param name="Name">The object's name.</param>
/// <param name="Length">Its length in bytes.</param>
public readonly record struct StoredObject(ObjectName Name, long Length);
