using BenchmarkDotNet.Running;
using ThreatIntel.Benchmarks;

// dotnet run -c Release --project tests/ThreatIntel.Benchmarks -- --filter '*'   (BenchmarkDotNet benchmarks)
// dotnet run -c Release --project tests/ThreatIntel.Benchmarks -- --build [runs]  (index build time and memory)
// dotnet run -c Release --project tests/ThreatIntel.Benchmarks -- --build-by-pair (the same per type/action pair)
if (args.Length > 0 && args[0] == "--build")
{
    BuildMeasurement.Run(args.Length > 1 && int.TryParse(args[1], out var runs) ? runs : 5);
    return;
}

if (args.Length > 0 && args[0] == "--build-by-pair")
{
    BuildMeasurement.RunByPair();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(BuildMeasurement).Assembly).Run(args);
