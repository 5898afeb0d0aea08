namespace Cairn.Core.Export;

/// <summary>Live counters of an export and its warnings.</summary>
public sealed class ExportProgress : OperationProgress
{
    private long _members, _bytes, _volumes;

    /// <summary>Archive members written.</summary>
    public long Members => Interlocked.Read(ref _members);
    /// <summary>File content bytes written.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);
    /// <summary>Volumes started.</summary>
    public long Volumes => Interlocked.Read(ref _volumes);

    internal void MemberWritten() => Interlocked.Increment(ref _members);

    internal void BytesWritten(long bytes) => Interlocked.Add(ref _bytes, bytes);

    internal void VolumeStarted() => Interlocked.Increment(ref _volumes);
}
