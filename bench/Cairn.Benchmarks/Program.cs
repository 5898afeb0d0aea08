using System.Globalization;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Cairn.Benchmarks;

/// <summary>
/// Runs the kernel benchmarks, prints MiB/s per core for each stage, and the pipeline's ceiling: what both
/// cores could back up per second if nothing but chunking, hashing, compressing and encrypting cost anything.
/// Usage: dotnet run -c Release --project bench/Cairn.Benchmarks [-- --end-to-end MIBPS] [BenchmarkDotNet args]
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        double? endToEnd = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--end-to-end" && i + 1 < args.Length)
                endToEnd = double.Parse(args[++i], CultureInfo.InvariantCulture);
            else
                rest.Add(args[i]);
        }
        var summary = rest.Count == 0
            ? BenchmarkRunner.Run<KernelBenchmarks>()
            : BenchmarkSwitcher.FromTypes([typeof(KernelBenchmarks)]).Run([.. rest]).FirstOrDefault();
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
