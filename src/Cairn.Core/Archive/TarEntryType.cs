namespace Cairn.Core.Archive;

/// <summary>What a tar entry stands for.</summary>
public enum TarEntryType
{
    /// <summary>A regular file (types <c>0</c>, NUL and contiguous <c>7</c>; GNU sparse <c>S</c>).</summary>
    File,
    /// <summary>Another name of an earlier entry (<c>1</c>).</summary>
    HardLink,
    /// <summary>A symbolic link (<c>2</c>).</summary>
    Symlink,
    /// <summary>A character device (<c>3</c>).</summary>
    CharDevice,
    /// <summary>A block device (<c>4</c>).</summary>
    BlockDevice,
    /// <summary>A directory (<c>5</c>, and GNU's dump directory <c>D</c>).</summary>
    Directory,
    /// <summary>A named pipe (<c>6</c>).</summary>
    Fifo,
    /// <summary>Any other type (see <see cref="TarEntry.TypeFlag"/>).</summary>
    Other,
}
