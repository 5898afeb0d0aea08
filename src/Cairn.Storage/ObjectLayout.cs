namespace Cairn.Storage;

/// <summary>The path layout shared by every store that maps objects to file-like paths.</summary>
/// <remarks>Packs are spread over 256 sub-directories by the first two hex digits of their name, so that
/// no directory holds more than a few thousand entries in a large repository.</remarks>
public static class ObjectLayout
{
    /// <summary>The top-level directory that holds objects of <paramref name="kind"/>.</summary>
    public static string Directory(ObjectKind kind) => kind switch
    {
        ObjectKind.Config => "",
        ObjectKind.Key => "keys",
        ObjectKind.Pack => "data",
        ObjectKind.Index => "index",
        ObjectKind.Snapshot => "snapshots",
        ObjectKind.Lock => "locks",
        ObjectKind.Pending => "pending",
        ObjectKind.Hold => "holds",
        ObjectKind.Policy => "policies",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The relative path of an object, with '/' as separator.</summary>
    public static string RelativePath(ObjectName name) => name.Kind switch
    {
        ObjectKind.Config => name.Name,
        ObjectKind.Pack => $"data/{PackFanOut(name.Name)}/{name.Name}",
        _ => $"{Directory(name.Kind)}/{name.Name}",
    };

    /// <summary>The two-character sub-directory of a pack.</summary>
    public static string PackFanOut(string name) => name.Length >= 2 ? name[..2] : "00";

    /// <summary>Every directory a fresh repository has, relative to its root.</summary>
    public static IEnumerable<string> Directories()
    {
        yield return "keys";
        yield return "index";
        yield return "snapshots";
        yield return "locks";
        yield return "pending";
        yield return "holds";
        yield return "policies";
        yield return "data";
        for (var i = 0; i < 256; i++)
            yield return $"data/{i:x2}";
    }
}
