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

    public string Pattern(KeyValueSyntax item, string? table)
    {
        if (item.Value is not StringValueSyntax { Value: { } text })
            throw Wrong(item, table, "a path pattern in quotes");
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
