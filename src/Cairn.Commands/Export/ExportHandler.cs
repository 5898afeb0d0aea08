using System.Globalization;
using Cairn.Core;
using Cairn.Core.Export;
using Cairn.Core.Platform;
using Cairn.Core.Repository;
using Cairn.Storage;

namespace Cairn.Commands.Export;

/// <summary>
/// <c>cairn export</c>: writes a snapshot, or a path in it, as a tar (or zip) archive to a file, a device or
/// standard output, optionally behind a plain-text header, compressed, piped through a filter, split into volumes
/// with a manifest, and read back to verify.
/// </summary>
public static class ExportHandler
{
    /// <summary>Filters whose inverse is well known, by program name.</summary>
    private static readonly Dictionary<string, string> KnownInverses = new(StringComparer.Ordinal)
    {
        ["gpg"] = "gpg --decrypt",
        ["gpg2"] = "gpg2 --decrypt",
        ["zstd"] = "zstd -d",
        ["gzip"] = "gzip -d",
        ["pigz"] = "pigz -d",
        ["xz"] = "xz -d",
        ["bzip2"] = "bzip2 -d",
        ["lz4"] = "lz4 -d",
        ["cat"] = "cat",
    };

    /// <summary>Runs the export; <paramref name="standardOutput"/> receives the archive when the output is "-".</summary>
    public static async Task<ExportCommandResult> RunAsync(Repository repository, ExportCommandOptions options, ExportProgress progress, Func<Stream> standardOutput,
        Func<int, string, CancellationToken, Task>? nextMedium = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(standardOutput);
        var filterRestore = Validate(options);
        var toStdout = options.Output == "-";
        var isDevice = !toStdout && IsDevice(options.Output);
        var volumes = options.VolumeSize is not null;

        await using var repoLock = await repository.LockAsync(exclusive: false, "export", ct).ConfigureAwait(false);
        await repository.LoadIndexAsync(null, ct).ConfigureAwait(false);
        var (snapshotText, path) = SnapshotSelector.SplitPath(options.Snapshot);
        var snapshot = await SnapshotSelector.ResolveAsync(repository, snapshotText, null, ct).ConfigureAwait(false);
        var node = await SnapshotSelector.FindNodeAsync(repository, snapshot, path, ct).ConfigureAwait(false);
        var headerSize = options.Header ? ExportHeader.Size : 0;
        var exportOptions = new ExportOptions
        {
            Format = options.Format,
            VolumeLimit = options.VolumeSize - headerSize,
            RecordSize = options.BlockSize,
        };

        var written = new List<WrittenVolume>();
        var createdFiles = new List<string>();
        VolumeSink? sink = null;
        var manifestPath = options.Manifest ?? (volumes && !isDevice ? options.Output + ".manifest" : null);
        StreamWriter? manifest = null;
        try
        {
            if (manifestPath is not null)
            {
                manifest = new StreamWriter(manifestPath, append: false, new System.Text.UTF8Encoding(false));
                createdFiles.Add(manifestPath);
                await manifest.WriteLineAsync($"# Cairn export manifest: snapshot {snapshot.Id} of {snapshot.Host}, {path}; tab-separated; sizes in bytes".AsMemory(), ct).ConfigureAwait(false);
                await manifest.WriteLineAsync("volume\ttype\tsize\tpath".AsMemory(), ct).ConfigureAwait(false);
            }
            var exporter = new SnapshotExporter(repository, exportOptions, progress);
            var result = await exporter.RunAsync(node, path,
                async (number, token) =>
                {
                    var volumePath = toStdout ? "-" : volumes && !isDevice ? string.Create(CultureInfo.InvariantCulture, $"{options.Output}.{number:D3}") : options.Output;
                    if (isDevice && number > 1)
                    {
                        if (nextMedium is null)
                            throw new CairnException(ErrorKind.Usage, $"volume {number - 1} is written to {options.Output}, and there is no terminal to ask for the next medium",
                                "run the export on a terminal, or write the volumes to files");
                        await nextMedium(number, options.Output, token).ConfigureAwait(false);
                    }
                    Stream medium;
                    if (toStdout)
                    {
                        medium = standardOutput();
                    }
                    else
                    {
                        medium = OpenMedium(volumePath, isDevice);
                        if (!isDevice)
                            createdFiles.Add(volumePath);
                    }
                    var header = options.Header ? ExportHeader.Render(HeaderInfo(options, snapshot, path, number, filterRestore)) : null;
                    sink = await VolumeSink.OpenAsync(volumePath, medium, isDevice && IsCharacterDevice(volumePath), header, options, token).ConfigureAwait(false);
                    return sink.Archive;
                },
                async (volume, token) =>
                {
                    await sink!.CloseAsync(token).ConfigureAwait(false);
                    var verified = false;
                    if (options.Verify)
                    {
                        await using (var readBack = new FileStream(sink.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20))
                        {
                            if (await sink.VerifyAsync(readBack, token).ConfigureAwait(false) is { } offset)
                                throw new CairnException(ErrorKind.RepositoryCorrupt, $"volume {volume.Number} ({sink.Path}) differs from what was written, from byte {offset:N0} on",
                                    "the medium may be failing: write the volume again, to other media");
                        }
                        verified = true;
                    }
                    written.Add(new WrittenVolume(volume.Number, sink.Path, volume.Members, sink.Length, volume.FirstPath, volume.LastPath, verified));
                    await sink.DisposeAsync().ConfigureAwait(false);
                    sink = null;
                },
                manifest is null ? null : (number, member) => manifest.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{number}\t{TypeName(member)}\t{member.Size}\t{PathBytes.Display(member.Path)}")),
                ct).ConfigureAwait(false);
            if (manifest is not null)
                await manifest.FlushAsync(ct).ConfigureAwait(false);
            return new ExportCommandResult(snapshot.Id.ToString(), result.Members, result.Bytes, written, manifestPath, result.Errors, result.Losses, result.SplitFiles);
        }
        catch (Exception e)
        {
            // A failed export leaves nothing half-written behind that could pass for an archive.
            if (sink is not null)
                await sink.DisposeAsync().ConfigureAwait(false);
            if (manifest is not null)
                await manifest.DisposeAsync().ConfigureAwait(false);
            manifest = null;
            foreach (var file in createdFiles)
                File.Delete(file);
            if (e is IOException io && IoErrors.IsNoSpace(io))
                throw new CairnException(ErrorKind.NoSpace, $"the export target is full: {io.Message}", "free space or give a --volume-size that fits the medium; the partial archive was removed", io);
            if (e is IOException && options.Filter is not null)
                throw new CairnException(ErrorKind.InvalidInput, $"the filter '{options.Filter}' stopped reading the archive: {e.Message}", "run the filter by hand to see why", e);
            throw;
        }
        finally
        {
            if (manifest is not null)
                await manifest.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string? Validate(ExportCommandOptions options)
    {
        if (options.Compress is not ("none" or "zstd" or "gzip"))
            throw new CairnException(ErrorKind.Usage, $"unknown compression '{options.Compress}'", "use zstd, gzip or none");
        if (options.BlockSize <= 0 || options.BlockSize % 512 != 0)
            throw new CairnException(ErrorKind.Usage, $"--block-size {options.BlockSize} is not a multiple of 512 bytes");
        if (options.Format == ExportFormat.Zip && (options.VolumeSize is not null || options.Compress != "none"))
            throw new CairnException(ErrorKind.Usage, "zip archives are compressed already and cannot be split into volumes", "use --format pax for volumes");
        if (options.VolumeSize is { } size && size < (options.Header ? ExportHeader.Size : 0) + 64 * 1024)
            throw new CairnException(ErrorKind.Usage, $"--volume-size {size} is too small", "give at least 64 KiB more than the header");
        if (options.Output == "-" && (options.VolumeSize is not null || options.Verify))
            throw new CairnException(ErrorKind.Usage, "volumes and --verify need -o FILE or DEVICE, not standard output");
        if (options.Filter is null)
            return null;
        if (options.FilterRestore is { } given)
            return given;
        var program = Path.GetFileName(options.Filter.TrimStart().Split(' ', 2)[0]);
        return KnownInverses.TryGetValue(program, out var inverse) ? inverse
            : throw new CairnException(ErrorKind.Usage, $"cannot tell how to undo the filter '{options.Filter}'", "say it with --filter-restore 'COMMAND', for the header");
    }

    private static ExportHeaderInfo HeaderInfo(ExportCommandOptions options, Core.Snapshots.Snapshot snapshot, string path, int volume, string? filterRestore) => new()
    {
        Volume = volume,
        Volumes = options.VolumeSize is null ? 1 : null,
        Format = options.Format,
        Compression = options.Compress == "none" ? null : options.Compress,
        Filter = options.Filter,
        FilterRestore = filterRestore,
        BlockSize = options.BlockSize,
        SnapshotId = snapshot.Id.ToString(),
        Host = snapshot.Host,
        SnapshotTime = snapshot.Time,
        SnapshotPaths = snapshot.Paths,
        Tags = snapshot.Tags,
        ExportedPath = path,
        Written = DateTimeOffset.UtcNow,
        CairnVersion = typeof(ExportHandler).Assembly.GetName().Version?.ToString(3) ?? "?",
    };

    private static Stream OpenMedium(string path, bool isDevice) =>
        isDevice ? new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 0)
            : new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 0);

    private static bool IsDevice(string path)
    {
        try
        {
            return Posix.Lstat(PathBytes.FromString(Path.GetFullPath(path))).Kind is FileKind.CharDevice or FileKind.BlockDevice;
        }
        catch (PosixException)
        {
            return false;
        }
    }

    private static bool IsCharacterDevice(string path) => Posix.Lstat(PathBytes.FromString(Path.GetFullPath(path))).Kind == FileKind.CharDevice;

    private static string TypeName(ArchiveMember member) => member.HardLinkTo is not null ? "hardlink" : member.Node.Kind switch
    {
        FileKind.File => member.IsSparse ? "sparse" : "file",
        FileKind.Directory => "dir",
        FileKind.Symlink => "symlink",
        FileKind.Fifo => "fifo",
        FileKind.CharDevice => "chardev",
        FileKind.BlockDevice => "blockdev",
        _ => "other",
    };
}
