using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(AuthFunctions.Benchmarks.PurgeBenchmark).Assembly).Run(args);
