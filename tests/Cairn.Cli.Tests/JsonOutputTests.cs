using Cairn.Commands.Jobs;
using Cairn.Core;
using Cairn.Storage;

namespace Cairn.Cli.Tests;

public sealed class JsonOutputTests
{
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
}
