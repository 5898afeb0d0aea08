using Cairn.Core;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Cairn.Commands.Configuration;

/// <summary>
/// Edits the jobs of a configuration file in place (<c>cairn job set</c> and <c>cairn job remove</c>, which the GUI
/// runs): keys given are set, others stay as written, comments and layout included. The result is checked like
/// any configuration before it replaces the file, so a mistake never reaches the disk.
/// </summary>
public static class JobEditor
{
    /// <summary>Sets keys of job <paramref name="name"/> (created when missing) in the file's text; returns the new text.</summary>
    public static string Set(string text, string path, string name, IReadOnlyList<(string Key, object Value)> settings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(settings);
        CheckName(name);
        if (text.Length > 0 && !text.EndsWith('\n'))
            text += "\n"; // new keys go on lines of their own
        var document = Parse(text, path);
        var table = FindJob(document, name);
        if (table is null)
        {
            document = Parse(text.TrimEnd() + (text.Trim().Length == 0 ? "" : "\n\n") + $"[job.{name}]\n", path);
            table = FindJob(document, name)!;
        }
        foreach (var (key, value) in settings)
        {
            var syntax = value switch
            {
                string s => (ValueSyntax)new StringValueSyntax(s),
                IReadOnlyList<string> list => new ArraySyntax([.. list]),
                long n => new IntegerValueSyntax(n),
                int n => new IntegerValueSyntax(n),
                bool b => new BooleanValueSyntax(b),
                _ => throw new ArgumentException($"unsupported value for {key}", nameof(settings)),
            };
            var existing = table.Items.FirstOrDefault(i => ConfigurationReader.Name(i.Key) == key);
            if (existing is not null)
                existing.Value = syntax;
            else
                table.Items.Add(new KeyValueSyntax(key, syntax));
        }
        return Checked(document.ToString(), path);
    }

    /// <summary>Removes job <paramref name="name"/> and its command sources from the file's text; returns the new text.</summary>
    public static string Remove(string text, string path, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        CheckName(name);
        var document = Parse(text, path);
        var tables = document.Tables.Where(t => ConfigurationReader.Name(t.Name) is var n && (n == $"job.{name}" || n == $"job.{name}.command-source")).ToList();
        if (tables.Count == 0)
            throw new CairnException(ErrorKind.InvalidInput, $"{path} has no job '{name}'");
        foreach (var table in tables)
            document.Tables.RemoveChild(table);
        return Checked(document.ToString(), path);
    }

    private static void CheckName(string name)
    {
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new CairnException(ErrorKind.Usage, $"invalid job name '{name}'", "use letters, digits, '-' and '_'");
    }

    private static DocumentSyntax Parse(string text, string path)
    {
        var document = SyntaxParser.Parse(text, path, validate: true);
        if (document.Diagnostics.FirstOrDefault(d => d.Kind == DiagnosticMessageKind.Error) is { } error)
            throw ConfigurationFile.Error(path, error.Span, error.Message);
        return document;
    }

    private static TableSyntax? FindJob(DocumentSyntax document, string name) =>
        document.Tables.OfType<TableSyntax>().FirstOrDefault(t => ConfigurationReader.Name(t.Name) == $"job.{name}");

    private static string Checked(string text, string path)
    {
        ConfigurationFile.Parse(text, path);
        return text;
    }
}
