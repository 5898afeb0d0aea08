using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Commands;
using Cairn.Commands.Configuration;
using Cairn.Core.Repository;

namespace Cairn.Cli;

/// <summary>What a command's action needs: parsed globals, output writers and the JSON switch.</summary>
internal sealed class CliContext(ParseResult result, GlobalCliOptions globals, TextWriter output, TextWriter error, Action<string>? progress = null,
    Stream? standardOutput = null)
{
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        // Enums as snake_case names; one converter per enum type, since the type-generic converter needs code
        // generated at run time. Every public enum of Cairn's libraries is here (a test holds the list complete).
        Converters =
        {
            EnumAsName<Core.Archive.ArchiveCompression>(), EnumAsName<Core.Archive.TarEntryType>(), EnumAsName<Core.Format.BlobType>(),
            EnumAsName<Core.Format.CompressionKind>(), EnumAsName<Core.Format.EnvelopeType>(), EnumAsName<Core.Crypto.CipherSuite>(),
            EnumAsName<Core.Crypto.KeyDomain>(), EnumAsName<Core.Export.ExportFormat>(), EnumAsName<Core.Platform.FileKind>(),
            EnumAsName<Core.Restore.MetadataKind>(), EnumAsName<Core.Retention.SnapshotGrouping>(), EnumAsName<Core.ErrorKind>(),
            EnumAsName<Commands.Jobs.JobStepKind>(), EnumAsName<Storage.ObjectKind>(), EnumAsName<Storage.StorageErrorKind>(),
        },
        TypeInfoResolver = Cairn.Cli.Json.CliJsonContext.Default,
    };

    private static JsonStringEnumConverter<T> EnumAsName<T>() where T : struct, Enum => new(JsonNamingPolicy.SnakeCaseLower);

    public ParseResult Result { get; } = result;
    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;
    public bool Json => Result.GetValue(globals.Json);
    public bool Quiet => Result.GetValue(globals.Quiet);
    public GlobalOptions Global => globals.From(Result);
    public IPasswordPrompt Prompt => new TerminalPrompt(Error);

    /// <summary>Where binary output for "-" goes (an export's archive): the process's standard output unless the caller gave a stream.</summary>
    public Stream OpenStandardOutput() => standardOutput ?? Console.OpenStandardOutput();

    /// <summary>True when binary output goes to a terminal, where it would be garbage.</summary>
    public bool StandardOutputIsTerminal => standardOutput is null && !Console.IsOutputRedirected;

    /// <summary>Who follows a long command's progress line besides a terminal (the GUI), if anyone.</summary>
    public Action<string>? Progress { get; } = progress;

    /// <summary>The configuration file's settings, read on first use.</summary>
    public CairnConfiguration Configuration => _configuration ??= ConfigurationFile.Load(Global.ConfigFile);
    private CairnConfiguration? _configuration;

    /// <summary>True when a live progress line should be drawn: a terminal, not --json, not --quiet.</summary>
    public bool ShowProgress => !Json && !Quiet && !Console.IsErrorRedirected && ReferenceEquals(Error, Console.Error);

    public Task<Repository> OpenAsync(CancellationToken ct) =>
        RepositoryOpener.OpenAsync(Global, Prompt, ct, Notice);

    /// <summary>Prints a note on stderr (a remote store's retry), unless --quiet or --json.</summary>
    public void Notice(string message)
    {
        if (Quiet || Json)
            return;
        lock (Error)
            Error.WriteLine($"cairn: {message}");
    }

    public void WriteJson<T>(T value) => Out.WriteLine(ToJson(value));

    /// <summary>A value as <c>--json</c> prints it (its type must be in <see cref="Cairn.Cli.Json.CliJsonContext"/>).</summary>
    public static string ToJson<T>(T value) =>
        JsonSerializer.Serialize(value, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)JsonOptions.GetTypeInfo(typeof(T)));
}
