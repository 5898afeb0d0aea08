using Cairn.Core;
using Cairn.Core.Backup;
using Tomlyn.Syntax;

namespace Cairn.Commands.Configuration;

/// <summary>Reads typed values from a configuration file's syntax tree, with the file, line and key in every error.</summary>
internal sealed class ConfigurationReader(string path)
{
    public string Path { get; } = path;

    /// <summary>A key or table name as written, dotted parts joined by '.'.</summary>
    public static string Name(KeySyntax? key)
    {
        if (key is null)
            return "";
        var parts = new List<string> { Part(key.Key) };
        if (key.DotKeys is { } dotted)
        {
            foreach (var item in dotted)
                parts.Add(Part(item.Key));
        }
        return string.Join('.', parts);
    }

    public bool Boolean(KeyValueSyntax item, string? table) => item.Value switch
    {
        BooleanValueSyntax b => b.Value,
        _ => throw Wrong(item, table, "true or false"),
    };

    public string Text(KeyValueSyntax item, string? table) => item.Value switch
    {
        StringValueSyntax { Value: { Length: > 0 } text } => text,
        _ => throw Wrong(item, table, "a non-empty string in quotes"),
    };

    public IReadOnlyList<string> TextList(KeyValueSyntax item, string? table)
    {
        if (item.Value is StringValueSyntax { Value: { Length: > 0 } one })
            return [one];
        if (item.Value is not ArraySyntax array)
            throw Wrong(item, table, "a list of strings, e.g. [\"a\", \"b\"]");
        var list = new List<string>();
        foreach (var element in array.Items)
        {
            if (element.Value is not StringValueSyntax { Value: { Length: > 0 } text })
                throw Wrong(item, table, "a list of non-empty strings");
            list.Add(text);
        }
        return list;
    }

    public long Integer(KeyValueSyntax item, string? table, long min, long max) => item.Value switch
    {
        IntegerValueSyntax { Value: var n } when n >= min && n <= max => n,
        _ => throw Wrong(item, table, $"a whole number from {min} to {max}"),
    };

    public CairnException Invalid(KeyValueSyntax item, string? table, string why) =>
        ConfigurationFile.Error(Path, item.Span, $"{Qualified(item, table)}: {why}");

    public string Pattern(KeyValueSyntax item, string? table) =>
        item.Value is StringValueSyntax { Value: { } text } ? CheckPattern(item, table, text) : throw Wrong(item, table, "a path pattern in quotes");

    public IReadOnlyList<string> Patterns(KeyValueSyntax item, string? table) =>
        TextList(item, table).Select(text => CheckPattern(item, table, text)).ToList();

    private string CheckPattern(KeyValueSyntax item, string? table, string text)
    {
        try
        {
            _ = new PathPattern(text);
        }
        catch (Exception e) when (e is CairnException or ArgumentException)
        {
            throw ConfigurationFile.Error(Path, item.Span, $"{Qualified(item, table)}: {(e is CairnException c ? c.Message : "an empty pattern")}");
        }
        return text;
    }

    public CairnException Unknown(KeyValueSyntax item, string? table) =>
        ConfigurationFile.Error(Path, item.Span, $"unknown key '{Qualified(item, table)}'");

    private CairnException Wrong(KeyValueSyntax item, string? table, string expected) =>
        ConfigurationFile.Error(Path, item.Span, $"{Qualified(item, table)}: expected {expected}, found {item.Value?.ToString()?.Trim()}");

    private static string Qualified(KeyValueSyntax item, string? table) =>
        table is null ? Name(item.Key) : table + "." + Name(item.Key);

    private static string Part(BareKeyOrStringValueSyntax? part) => part switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? "",
        StringValueSyntax quoted => quoted.Value ?? "",
        _ => "",
    };
}
