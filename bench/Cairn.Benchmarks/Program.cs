using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Cairn.Benchmarks;

/// <summary>
/// Runs the kernel benchmarks, prints MiB/s per core for each stage, and the pipeline's ceiling: what both
/// cores could back up per second if nothing but chunking, hashing, compressing and encrypting cost anything.
/// With <c>--corpus DIR</c>, measures the stages on that directory's files instead (<see cref="CorpusCeiling"/>).
/// Usage: dotnet run -c Release --project bench/Cairn.Benchmarks [-- --end-to-end MIBPS] [--corpus DIR [--json]] [BenchmarkDotNet args]
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        double? endToEnd = null;
        string? corpus = null;
        var json = false;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--end-to-end" && i + 1 < args.Length)
                endToEnd = double.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--corpus" && i + 1 < args.Length)
                corpus = args[++i];
            else if (args[i] == "--json")
                json = true;
            else
                rest.Add(args[i]);
        }
        if (corpus is not null)
            ReportCorpus(CorpusCeiling.Measure(corpus), endToEnd, json);
        else
            RunKernels(rest, endToEnd);
    }

    private static void ReportCorpus(CeilingMeasurement m, double? endToEnd, bool json)
    {
        var cores = Environment.ProcessorCount;
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                bytes = m.Bytes,
                files = m.Files,
                newBytes = m.NewBytes,
                storedBytes = m.StoredBytes,
                cores,
                ceilingMiBps = m.CeilingMiBps(cores),
                stages = m.Seconds.ToDictionary(s => s.Key.ToString(), s => new { seconds = s.Value, mibpsPerCore = m.StageMiBps(s.Key) }),
            }));
            return;
        }
        Console.WriteLine($"{m.Files:N0} files, {m.Bytes / (double)(1 << 20):0} MiB, {m.NewBytes / (double)(1 << 20):0} MiB new, stored as {m.StoredBytes / (double)(1 << 20):0} MiB");
        Console.WriteLine();
        Console.WriteLine("| stage | seconds on one core | MiB of the corpus per second, one core |");
        Console.WriteLine("|---|---|---|");
        foreach (var (stage, seconds) in m.Seconds)
            Console.WriteLine($"| {stage} | {seconds:0.00} | {m.StageMiBps(stage):0} |");
        Console.WriteLine();
        Console.WriteLine($"pipeline ceiling on this corpus, {cores} cores: {m.CeilingMiBps(cores):0} MiB/s");
        if (endToEnd is { } e)
            Console.WriteLine($"end-to-end first backup: {e:0} MiB/s = {e / m.CeilingMiBps(cores):P0} of the ceiling");
    }

    private static void RunKernels(List<string> args, double? endToEnd)
    {
        var summary = args.Count == 0
            ? BenchmarkRunner.Run<KernelBenchmarks>()
            : BenchmarkSwitcher.FromTypes([typeof(KernelBenchmarks)]).Run([.. args]).FirstOrDefault();
        if (summary is null)
            return;
        Console.WriteLine();
        Console.WriteLine("| stage | MiB/s per core |");
        Console.WriteLine("|---|---|");
        var rates = new Dictionary<string, double>();
        foreach (var report in summary.Reports)
        {
            if (report.ResultStatistics is not { } stats)
                continue;
            var name = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
            var parameters = report.BenchmarkCase.Parameters.DisplayInfo;
            var key = string.IsNullOrEmpty(parameters) ? name : $"{name}({parameters})";
            var bytes = name.StartsWith("Index", StringComparison.Ordinal) || name == "EncodeTree" ? double.NaN : KernelData.Length;
            var seconds = stats.Mean / 1e9;
            rates[key] = bytes / seconds / (1 << 20);
            Console.WriteLine(double.IsNaN(rates[key])
                ? $"| {key} | {stats.Mean / 1e6:0.00} ms per run |"
                : $"| {key} | {rates[key]:0} |");
        }
        // Per byte, the pipeline chunks, hashes, compresses ('auto' on mixed data) and seals it once.
        var stages = new[] { "Chunk", "HashIds", "CompressAutoMixed", "Encrypt" };
        if (stages.All(rates.ContainsKey))
        {
            var secondsPerMiB = stages.Sum(s => 1 / rates[s]);
            var ceiling = Environment.ProcessorCount / secondsPerMiB;
            Console.WriteLine();
            Console.WriteLine($"pipeline ceiling on {Environment.ProcessorCount} cores: {ceiling:0} MiB/s (chunk + hash + compress auto + encrypt)");
            if (endToEnd is { } e)
                Console.WriteLine($"end-to-end first backup: {e:0} MiB/s = {e / ceiling:P0} of the ceiling");
        }
    }
}
