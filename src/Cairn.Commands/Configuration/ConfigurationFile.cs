using Cairn.Core;
using Cairn.Core.Backup;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Cairn.Commands.Configuration;

/// <summary>
/// Finds and reads <c>cairn.toml</c>. Every mistake (a syntax error, an unknown table or key, a value of the wrong
/// type) stops the command with one line naming the file, the line and the key.
/// </summary>
public static class ConfigurationFile
{
    /// <summary>The environment variable that names a configuration file, like <c>--config</c>.</summary>
    public const string Variable = "CAIRN_CONFIG";

    /// <summary>The system-wide file, read when the user has none.</summary>
    public const string SystemPath = "/etc/cairn/cairn.toml";

    /// <summary>
    /// The file that applies: the one given (by <c>--config</c>, else <c>$CAIRN_CONFIG</c>), which must exist;
    /// else the user's (<c>$XDG_CONFIG_HOME/cairn/cairn.toml</c>, by default under <c>~/.config</c>); else
    /// <c>/etc/cairn/cairn.toml</c>; else none.
    /// </summary>
    public static string? Locate(string? given)
    {
        given ??= Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        if (given is not null)
        {
            if (!System.IO.File.Exists(given))
                throw new CairnException(ErrorKind.InvalidInput, $"configuration file {given} does not exist");
            return given;
        }
        var configHome = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        var user = Path.Combine(configHome, "cairn", "cairn.toml");
        if (System.IO.File.Exists(user))
            return user;
        return System.IO.File.Exists(SystemPath) ? SystemPath : null;
    }

    /// <summary>Reads the configuration that applies (see <see cref="Locate"/>).</summary>
    public static CairnConfiguration Load(string? given)
    {
        if (Locate(given) is not { } path)
            return CairnConfiguration.Empty;
        string text;
        try
        {
            text = System.IO.File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CairnException(ErrorKind.InvalidInput, $"cannot read configuration file {path}: {e.Message}");
        }
        return Parse(text, path);
    }

    /// <summary>Parses the text of a configuration file; <paramref name="path"/> names it in messages.</summary>
    public static CairnConfiguration Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        var document = SyntaxParser.Parse(text, path, validate: true);
        foreach (var diagnostic in document.Diagnostics)
        {
            if (diagnostic.Kind == DiagnosticMessageKind.Error)
                throw Error(path, diagnostic.Span, diagnostic.Message);
        }
        var reader = new ConfigurationReader(path);
        if (document.KeyValues.FirstOrDefault() is { } stray)
            throw reader.Unknown(stray, null);
        var quiet = false;
        var rules = new List<ChangeDetectionRule>();
        foreach (var table in document.Tables)
        {
            var name = ConfigurationReader.Name(table.Name);
            switch (table, name)
            {
                case (TableSyntax, "restore"):
                    foreach (var item in table.Items)
                    {
                        switch (ConfigurationReader.Name(item.Key))
                        {
                            case "quiet-metadata-warnings": quiet = reader.Boolean(item, name); break;
                            default: throw reader.Unknown(item, name);
                        }
                    }
                    break;
                case (TableArraySyntax, "change-detection"):
                    rules.Add(ReadChangeDetection(reader, table, name));
                    break;
                default:
                    throw Error(path, table.Span, table is TableArraySyntax
                        ? $"unknown table array [[{name}]]; known ones: [[change-detection]]"
                        : $"unknown table [{name}]; known ones: [restore]");
            }
        }
        return new CairnConfiguration { File = path, QuietMetadataWarnings = quiet, ChangeDetection = rules };
    }

    private static ChangeDetectionRule ReadChangeDetection(ConfigurationReader reader, TableSyntaxBase table, string name)
    {
        string? pattern = null;
        bool? ignoreCtime = null, ignoreInode = null, rehash = null;
        foreach (var item in table.Items)
        {
            switch (ConfigurationReader.Name(item.Key))
            {
                case "path": pattern = reader.Pattern(item, name); break;
                case "ignore-ctime": ignoreCtime = reader.Boolean(item, name); break;
                case "ignore-inode": ignoreInode = reader.Boolean(item, name); break;
                case "rehash": rehash = reader.Boolean(item, name); break;
                default: throw reader.Unknown(item, name);
            }
        }
        if (pattern is null)
            throw Error(reader.Path, table.Span, $"[[{name}]] needs a 'path' pattern, e.g. path = \"/mnt/nfs\"");
        return new ChangeDetectionRule(pattern, ignoreCtime, ignoreInode, rehash);
    }

    internal static CairnException Error(string path, SourceSpan span, string message) =>
        new(ErrorKind.InvalidInput, $"{path}:{span.Start.Line + 1}: {message}");
}
