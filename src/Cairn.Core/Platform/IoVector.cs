namespace Cairn.Core.Platform;

/// <summary>struct iovec: one buffer of a vectored read or write.</summary>
internal unsafe struct IoVector
{
    public byte* Base;
    public nuint Length;
}
