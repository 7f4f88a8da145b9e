using System.Globalization;
using Azure.Data.Tables;
using AuthFunctions.Azure.Tables;
using AuthFunctions.Core.Purge;
using AuthFunctions.Core.Storage;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthFunctions.Benchmarks;

/// <summary>
/// The purge over Azurite: <see cref="Records"/> expired token records spread over 24 expiry hours
/// (16 shards each, as the issuer lays them out), written before each iteration, then one
/// <see cref="PurgeJob.RunOnceAsync"/> that must remove them all. Storage comes from
/// <c>AUTHFN_BENCH_STORAGE</c> (bench/run.sh starts an Azurite on loopback and sets it).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 3)]
public class PurgeBenchmark
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 20, 0, TimeSpan.Zero);

    private readonly string connectionString = Environment.GetEnvironmentVariable("AUTHFN_BENCH_STORAGE")
        ?? throw new InvalidOperationException("Set AUTHFN_BENCH_STORAGE (bench/run.sh does).");

    private PurgeJob job = null!;

    [Params(10_000, 100_000)]
    public int Records { get; set; }

    [IterationSetup]
    public void WriteExpiredRecords()
    {
        var prefix = "b" + Guid.NewGuid().ToString("N")[..12];
        var tables = new AuthTables(new TableServiceClient(connectionString), Options.Create(new StorageOptions { ConnectionString = connectionString, TablePrefix = prefix }));
        var table = tables.GetAsync(AuthTables.Tokens, CancellationToken.None).GetAwaiter().GetResult();
        var partitions = Enumerable.Range(1, 24)
            .SelectMany(h => Enumerable.Range(0, TokenTable.Shards).Select(s => TokenTable.PartitionOf(Now.AddHours(-h).UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture), s)))
            .ToArray();
        var rows = Enumerable.Range(0, Records).Select(i => new TableEntity(partitions[i % partitions.Length], i.ToString("D8", CultureInfo.InvariantCulture))
        {
            ["Subject"] = "magma:bench",
            ["Grant"] = "magma",
            ["ExpiresAt"] = Now.AddHours(-(i % 24) - 1),
        });
        Parallel.ForEach(
            rows.GroupBy(r => r.PartitionKey).SelectMany(g => g.Chunk(100)),
            new ParallelOptions { MaxDegreeOfParallelism = 8 },
            batch => table.SubmitTransaction(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e))));
        job = new PurgeJob(
            new PurgeTable(tables),
            Options.Create(new PurgeOptions { MaxHoursPerRun = 48 }),
            new FakeTimeProvider(Now),
            NullLogger<PurgeJob>.Instance);
    }

    [Benchmark]
    public async Task<int> PurgeRun()
    {
        var report = await job.RunOnceAsync(CancellationToken.None);
        return report.Errors.Count == 0 && report.Total == Records
            ? report.Total
            : throw new InvalidOperationException($"The purge removed {report.Total} of {Records} rows with {report.Errors.Count} errors.");
    }
}
