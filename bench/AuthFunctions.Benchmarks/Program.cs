using AuthFunctions.Benchmarks;
using BenchmarkDotNet.Running;

// "ceilings <connection string>": the raw signing and storage rates bench/load.sh prints beside its table.
if (args is ["ceilings", var connectionString])
{
    return await Ceilings.RunAsync(connectionString);
}

BenchmarkSwitcher.FromAssembly(typeof(PurgeBenchmark).Assembly).Run(args);
return 0;
