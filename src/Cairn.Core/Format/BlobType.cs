namespace Cairn.Core.Format;

/// <summary>What a blob holds; it decides which key encrypts it.</summary>
public enum BlobType : byte
{
    /// <summary>A chunk of file content.</summary>
    Data = 1,
    /// <summary>An encoded directory (a tree).</summary>
    Tree = 2,
}
