namespace Cairn.Benchmarks;

/// <summary>What <see cref="CorpusCeiling"/> measured: the corpus, what was new in it, and one core's seconds per stage.</summary>
internal sealed record CeilingMeasurement(long Bytes, int Files, long NewBytes, long StoredBytes, IReadOnlyDictionary<PipelineStage, double> Seconds)
{
    /// <summary>What <paramref name="cores"/> cores could back up per second, in MiB/s, if nothing but the stages cost anything.</summary>
    public double CeilingMiBps(int cores) => Bytes / (Seconds.Values.Sum() / cores) / (1 << 20);

    /// <summary>One stage's rate on one core, in MiB of the corpus per second.</summary>
    public double StageMiBps(PipelineStage stage) => Bytes / Seconds[stage] / (1 << 20);
}
