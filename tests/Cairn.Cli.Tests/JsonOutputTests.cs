using Cairn.Commands.Jobs;
using Cairn.Core;
using Cairn.Storage;

namespace Cairn.Cli.Tests;

public sealed class JsonOutputTests : IDisposable
{
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    /// <summary>
    /// --json writes enums as names only through the converters listed one per type: an enum missing from the list
    /// would silently come out as a number.
    /// </summary>
    [Fact]
    public void Every_public_enum_of_cairn_is_written_as_a_name()
    {
        var enums = new[] { typeof(CairnException).Assembly, typeof(JobStepKind).Assembly, typeof(ObjectKind).Assembly }
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => t.IsEnum)
            .ToList();
        Assert.NotEmpty(enums);
        var missing = enums.Where(t => !CliContext.JsonOptions.Converters.Any(c => c.CanConvert(t))).Select(t => t.FullName).ToList();
        Assert.True(missing.Count == 0, "no snake_case converter in CliContext.JsonOptions for: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Cat_names_fields_as_the_json_of_other_commands_does()
    {
        await _t.InitAsync();
        var source = _t.PathOf("source");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "file"), "content");
        Assert.Equal(0, (await _t.RunAsync("backup", source)).ExitCode);

        var listed = System.Text.Json.JsonDocument.Parse((await _t.RunAsync("snapshots", "--json")).Output).RootElement[0];
        var cat = System.Text.Json.JsonDocument.Parse((await _t.RunAsync("cat", "snapshot", "latest")).Output).RootElement;
        var tree = System.Text.Json.JsonDocument.Parse((await _t.RunAsync("cat", "tree", cat.GetProperty("tree").GetString()!)).Output).RootElement;

        Assert.Equal(Names(listed), Names(cat));
        Assert.Contains("short_id", Names(cat));
        Assert.All(Names(tree[0]), n => Assert.Equal(n.ToLowerInvariant(), n));
        Assert.Subset(Names(tree[0]).ToHashSet(), new HashSet<string> { "gid", "group", "mode", "mtime", "name", "size", "type", "uid", "user" });

        static string[] Names(System.Text.Json.JsonElement e) => e.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
    }
}
