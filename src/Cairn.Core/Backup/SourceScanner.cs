using Cairn.Core.Platform;

namespace Cairn.Core.Backup;

/// <summary>
/// Walks the source ahead of the archiver, counting entries and bytes, so that progress can show totals and an
/// ETA. It reads only directory listings and status, never file contents, and applies the same excludes.
/// </summary>
public sealed class SourceScanner(ExcludeFilter filter, BackupProgress progress)
{
    /// <summary>Counts everything below the paths; stops quietly when cancelled.</summary>
    public Task RunAsync(IReadOnlyList<string> absolutePaths, CancellationToken ct) => Task.Run(() =>
    {
        try
        {
            foreach (var path in absolutePaths)
            {
                var bytes = PathBytes.FromString(path);
                try
                {
                    var status = Posix.Lstat(bytes);
                    Visit(bytes, status, status.Device, ct);
                }
                catch (PosixException)
                {
                    // the archiver reports it
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }, CancellationToken.None);

    private void Visit(byte[] path, FileStatus status, ulong rootDevice, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        progress.Scanned(status.Kind == FileKind.File ? status.Size : 0);
        if (status.Kind != FileKind.Directory || (filter.OneFileSystem && status.Device != rootDevice))
            return;
        List<byte[]> names;
        try
        {
            names = Posix.ReadDirectory(path);
        }
        catch (PosixException)
        {
            return;
        }
        if (filter.HasMarker(names))
            return;
        foreach (var name in names)
        {
            var child = PathBytes.Join(path, name);
            if (filter.IsExcluded(child))
                continue;
            try
            {
                Visit(child, Posix.Lstat(child), rootDevice, ct);
            }
            catch (PosixException)
            {
            }
        }
    }
}
