using System.Globalization;
using System.Text;

namespace Cairn.Core.Export;

/// <summary>
/// The plain-text block in front of an exported archive (Amanda's idea): 32 KiB that say what the archive holds
/// and give the commands that restore it with <c>dd</c> and <c>tar</c> alone; NUL bytes pad it.
/// </summary>
public static class ExportHeader
{
    /// <summary>The header's length: <c>dd bs=32k skip=1</c> steps over it.</summary>
    public const int Size = 32 * 1024;

    /// <summary>How every header starts; <c>cairn import</c> recognises it.</summary>
    public const string Magic = "# Cairn export archive";

    /// <summary><see cref="Magic"/> as the bytes an archive starts with.</summary>
    internal static byte[] MagicBytes { get; } = Encoding.ASCII.GetBytes(Magic);

    /// <summary>Renders the header for one volume.</summary>
    public static byte[] Render(ExportHeaderInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var undo = new StringBuilder();
        if (info.FilterRestore is { } restore)
            undo.Append(" | ").Append(restore);
        if (info.Compression is "zstd")
            undo.Append(" | zstd -d");
        else if (info.Compression is "gzip")
            undo.Append(" | gzip -d");
        var inverse = "dd if=ARCHIVE bs=32k skip=1" + undo;
        var extract = info.Format switch
        {
            ExportFormat.Pax => " | tar -xpf - --xattrs --xattrs-include='*' --acls",
            ExportFormat.Gnu => " | tar -xpf -",
            _ => " > archive.zip && unzip archive.zip",
        };
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.Append(Magic).Append(", header format 1\n");
        text.Append("#\n# This block is 32768 bytes of plain text (padded with NUL bytes); the archive starts right after it.\n");
        text.Append("# It was written by cairn ").Append(info.CairnVersion).Append(" on ").Append(info.Written.ToString("u", inv)).Append(".\n\n");
        text.Append(inv, $"Volume:       {info.Volume}{(info.Volumes is { } total ? $" of {total}" : "")}\n");
        text.Append("Format:       ").Append(info.Format switch
        {
            ExportFormat.Pax => "tar, POSIX pax with GNU tar's xattr, ACL and sparse extensions",
            ExportFormat.Gnu => "tar, GNU format",
            _ => "zip",
        }).Append('\n');
        text.Append("Compression:  ").Append(info.Compression ?? "none").Append('\n');
        if (info.Filter is not null)
            text.Append("Filter:       ").Append(info.Filter).Append("   (undone with: ").Append(info.FilterRestore).Append(")\n");
        text.Append(inv, $"Block size:   {info.BlockSize} bytes\n");
        text.Append("Snapshot:     ").Append(info.SnapshotId).Append('\n');
        text.Append("Host:         ").Append(info.Host).Append('\n');
        text.Append("Taken:        ").Append(info.SnapshotTime.ToString("u", inv)).Append('\n');
        text.Append("Paths:        ").Append(string.Join(" ", info.SnapshotPaths)).Append('\n');
        if (info.Tags.Count > 0)
            text.Append("Tags:         ").Append(string.Join(",", info.Tags)).Append('\n');
        text.Append("Exported:     ").Append(info.ExportedPath).Append(info.ExportedPath == "/" ? "  (the whole snapshot; members are named as in it, without the leading /)\n" : "  (members are named relative to it, under ./)\n");
        text.Append("\nTo restore with standard tools alone, in the directory to restore into (as root to keep owners,\ndevices and trusted.* attributes):\n\n");
        text.Append("  ").Append(inverse).Append(extract).Append("\n\n");
        text.Append("To read this header again:  dd if=ARCHIVE bs=32k count=1 2>/dev/null | tr -d '\\000'\n");
        text.Append("To list the archive:        ").Append(inverse).Append(info.Format == ExportFormat.Zip ? " > archive.zip && unzip -l archive.zip" : " | tar -tvf -").Append('\n');
        if (info.Volumes != 1)
        {
            text.Append("\nThis is one volume of several: each is a complete archive and restores on its own. A file larger\n")
                .Append("than a volume is stored in parts named NAME").Append(SnapshotExporter.PartSuffix).Append("0001, 0002, …; after restoring every\n")
                .Append("volume, join them with:  cat NAME").Append(SnapshotExporter.PartSuffix).Append("* > NAME && rm NAME").Append(SnapshotExporter.PartSuffix).Append("*\n")
                .Append("The manifest (written beside the volumes) lists which file is on which volume.\n");
        }
        if (info.Format != ExportFormat.Zip)
        {
            text.Append("\nOn a tape, read the header with  dd if=/dev/nst0 bs=32k count=1  and the archive with\n")
                .Append("  dd if=/dev/nst0 bs=").Append(info.BlockSize.ToString(inv)).Append(undo)
                .Append(undo.Length > 0 ? extract : extract.Replace("tar -xpf -", "tar -xpf - -b " + (info.BlockSize / 512).ToString(inv), StringComparison.Ordinal)).Append('\n');
        }
        text.Append("\nWith Cairn:  cairn import ARCHIVE   (makes a snapshot of it in a repository)\n");
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        if (bytes.Length >= Size)
            throw new InvalidOperationException("the export header does not fit in 32 KiB");
        var block = new byte[Size];
        bytes.CopyTo(block, 0);
        return block;
    }
}
