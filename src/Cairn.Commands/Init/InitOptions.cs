using Cairn.Core.Crypto;
using Cairn.Core.Format;

namespace Cairn.Commands.Init;

/// <summary>Options of <c>cairn init</c>.</summary>
public sealed record InitOptions
{
    /// <summary>Chunk sizes.</summary>
    public ChunkerParameters Chunker { get; init; } = ChunkerParameters.Default;
    /// <summary>Default compression for backups.</summary>
    public string Compression { get; init; } = "auto";
    /// <summary>When false, data is authenticated but not encrypted.</summary>
    public bool Encrypt { get; init; } = true;
    /// <summary>Argon2id cost of the first key.</summary>
    public KdfParameters Kdf { get; init; } = KdfParameters.Default;
    /// <summary>A repository whose chunker parameters and ID keys the new one takes, so that copies between them deduplicate.</summary>
    public Core.Repository.Repository? CopyChunkerParamsFrom { get; init; }

    /// <summary>The arguments after <c>cairn</c> that do the same.</summary>
    public IEnumerable<string> ToArguments()
    {
        yield return "init";
        if (Chunker != ChunkerParameters.Default)
            yield return CommandLine.Option("--chunk-sizes", $"{Chunker.MinSize}/{Chunker.AverageSize}/{Chunker.MaxSize}");
        if (Compression != "auto")
            yield return CommandLine.Option("--compression", Compression);
        if (!Encrypt)
            yield return "--no-encryption";
        if (CopyChunkerParamsFrom is { } source)
        {
            yield return "--copy-chunker-params";
            yield return CommandLine.Option("--from-repo", source.Storage.Location);
        }
    }
}
