namespace Cairn.Storage;

/// <summary>The name of one object in a store: its kind and a name unique within that kind.</summary>
/// <remarks>Names are lower-case hexadecimal strings for every kind but <see cref="ObjectKind.Config"/>,
/// whose only object is named <c>config</c>.</remarks>
public readonly record struct ObjectName
{
    /// <summary>Creates a name after checking that it is safe to use as a path component or key.</summary>
    public ObjectName(ObjectKind kind, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                throw new ArgumentException($"invalid object name '{name}'", nameof(name));
        }
        if (name is "." or "..")
            throw new ArgumentException($"invalid object name '{name}'", nameof(name));
        Kind = kind;
        Name = name;
    }

    /// <summary>The repository's configuration object.</summary>
    public static ObjectName Config { get; } = new(ObjectKind.Config, "config");

    /// <summary>The object's kind.</summary>
    public ObjectKind Kind { get; }

    /// <summary>The object's name within its kind.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public override string ToString() => ObjectLayout.RelativePath(this);
}
