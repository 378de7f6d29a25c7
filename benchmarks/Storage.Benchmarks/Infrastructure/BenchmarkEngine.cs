namespace GatewayStorage.Benchmarks;

public enum BenchmarkEngine { Sqlite, Postgres }
