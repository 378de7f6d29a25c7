using BenchmarkDotNet.Running;

// The benchmark suite (hot paths against raw ADO.NET and EF Core) lands with the "Benchmarks" issue;
// this entry point already runs whatever benchmarks the assembly holds:
//   dotnet run -c Release --project benchmarks/Storage.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
