using System.Text.Json.Serialization;

namespace Cairn.Cli.Gui;

/// <summary>The GUI API's JSON types, for the source-generated serializer.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(GuiAction))]
[JsonSerializable(typeof(GuiActionResult))]
[JsonSerializable(typeof(GuiTaskStarted))]
[JsonSerializable(typeof(GuiOpenRequest))]
[JsonSerializable(typeof(GuiRepositoryInfo))]
[JsonSerializable(typeof(List<GuiRepositoryInfo>))]
internal sealed partial class GuiJsonContext : JsonSerializerContext;
