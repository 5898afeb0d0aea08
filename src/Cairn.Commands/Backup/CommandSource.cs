using System.Diagnostics;
using System.Text;
using Cairn.Core;
using Cairn.Core.Backup;
using Cairn.Core.Chunking;
using Cairn.Core.Platform;
using Cairn.Core.Repository;
using Cairn.Core.Trees;

namespace Cairn.Commands.Backup;

/// <summary>
/// A shell command whose standard output is stored as one file, <c>/NAME</c>, in a snapshot (a database dump, a
/// disk image): <c>backup --command-source NAME=COMMAND</c>, a job's <c>[[job.X.command-source]]</c>, and
/// <c>--stdin-from-command</c>. A command that exits with anything but 0 fails the backup: no snapshot is made.
/// </summary>
/// <param name="Name">The file's name at the top of the snapshot.</param>
/// <param name="Command">The command, run by <c>/bin/sh -c</c>.</param>
public sealed record CommandSource(string Name, string Command)
{
    /// <summary>Parses <c>NAME=COMMAND</c>.</summary>
    public static CommandSource Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == text.Length - 1)
            throw new CairnException(ErrorKind.Usage, $"invalid command source '{text}'", "give NAME=COMMAND, e.g. 'mydb.sql=pg_dump mydb'");
        return new CommandSource(CheckName(text[..equals]), text[(equals + 1)..]);
    }

    /// <summary>Checks that a stream's file name is one name, not a path.</summary>
    public static string CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
            throw new CairnException(ErrorKind.Usage, $"invalid file name '{name}' for a stream", "give a file name without '/'");
        return name;
    }

    /// <summary>The <c>NAME=COMMAND</c> form.</summary>
    public override string ToString() => Name + "=" + Command;

    /// <summary>Runs the command and stores its output; returns the file's node and its length.</summary>
    public async Task<(Node Node, long Length)> RunAsync(Chunker chunker, IBlobSaver saver, CancellationToken ct)
    {
        var psi = ShellCommand.StartInfo(Command);
        psi.RedirectStandardOutput = true;
        using var process = Process.Start(psi) ?? throw new CairnException(ErrorKind.InvalidInput, $"cannot run '{Command}'");
        var output = process.StandardOutput.BaseStream;
        var (content, length) = await ContentChunker.ChunkAsync((into, token) => output.ReadAsync(into, token), 0, chunker, saver, ct).ConfigureAwait(false);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw new CairnException(ErrorKind.InvalidInput, $"'{Command}' exited with code {process.ExitCode}: no snapshot was made",
                "fix the command; what it wrote before failing is not kept as a backup");
        return (FileNode(Name, length, content), length);
    }

    /// <summary>The node of a file made of a stream: owned by this user, rw-r--r--, its times now.</summary>
    public static Node FileNode(string name, long length, IReadOnlyList<Core.Format.BlobId> content)
    {
        var now = PosixTime.FromDateTimeOffset(DateTimeOffset.UtcNow);
        var uid = Posix.EffectiveUserId;
        var gid = Posix.EffectiveGroupId;
        return new Node
        {
            Name = Encoding.UTF8.GetBytes(name),
            Kind = FileKind.File,
            Mode = 0x1A4, // rw-r--r--
            Uid = uid,
            Gid = gid,
            User = Posix.UserName(uid),
            Group = Posix.GroupName(gid),
            Size = length,
            Mtime = now,
            Atime = now,
            Ctime = now,
            Links = 1,
            Content = content,
        };
    }
}
