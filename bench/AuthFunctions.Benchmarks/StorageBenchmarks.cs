using Azure.Data.Tables;
using AuthFunctions.Azure.Tables;
using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Tokens;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Benchmarks;

/// <summary>
/// The storage work of 64 logins at once, over Azurite, each way in the same run: the key read one per
/// login against the shared fresh read (<see cref="MagmaKeyTable.FindAsync"/>), and the token record one
/// insert per login against group commit (<see cref="TokenTable.RecordAsync"/>), with ids spread over every
/// shard and with ids drawn in shard runs (<see cref="TokenTable.NewTokenId"/>), as the issuer draws them. Storage comes from
/// <c>AUTHFN_BENCH_STORAGE</c> (bench/run.sh starts an Azurite on loopback and sets it).
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class StorageBenchmarks
{
    private const int Logins = 64;
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly string connectionString = Environment.GetEnvironmentVariable("AUTHFN_BENCH_STORAGE")
        ?? throw new InvalidOperationException("Set AUTHFN_BENCH_STORAGE (bench/run.sh does).");

    private TableClient keyTable = null!;
    private TableClient tokenTable = null!;
    private MagmaKeyTable keys = null!;
    private TokenTable tokens = null!;

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        var tables = new AuthTables(new TableServiceClient(connectionString), Options.Create(new StorageOptions { ConnectionString = connectionString, TablePrefix = "b" + Guid.NewGuid().ToString("N")[..12] }));
        keys = new MagmaKeyTable(tables);
        tokens = new TokenTable(tables);
        keyTable = await tables.GetAsync(AuthTables.MagmaKeys, CancellationToken.None);
        tokenTable = await tables.GetAsync(AuthTables.Tokens, CancellationToken.None);
        await keys.AddAsync(new MagmaKey { Name = "bench", SecretHash = "h", Rights = Rights.Data, CreatedAt = Now }, CancellationToken.None);
    }

    [Benchmark(Baseline = true, Description = "64 key reads, one each")]
    [BenchmarkCategory("key reads")]
    public Task KeyReadsOneEach() =>
        Task.WhenAll(Enumerable.Range(0, Logins).Select(_ => keyTable.GetEntityIfExistsAsync<TableEntity>(Identifiers.KeyOf("bench"), string.Empty)));

    [Benchmark(Description = "64 key reads, fresh shared")]
    [BenchmarkCategory("key reads")]
    public Task KeyReadsShared() =>
        Task.WhenAll(Enumerable.Range(0, Logins).Select(_ => keys.FindAsync("bench", CancellationToken.None)));

    [Benchmark(Baseline = true, Description = "64 token records, one insert each")]
    [BenchmarkCategory("token records")]
    public Task RecordsOneInsertEach() =>
        Task.WhenAll(Enumerable.Range(0, Logins).Select(_ =>
        {
            var record = NextRecord();
            return tokenTable.AddEntityAsync(new TableEntity(TokenTable.PartitionFor(record.TokenId, record.ExpiresAt), record.TokenId)
            {
                ["Subject"] = record.Subject,
                ["Grant"] = record.Grant,
                ["IssuedAt"] = record.IssuedAt,
                ["ExpiresAt"] = record.ExpiresAt,
                ["ClientId"] = record.ClientId,
            });
        }));

    [Benchmark(Description = "64 token records, group commit, ids spread over every shard")]
    [BenchmarkCategory("token records")]
    public Task RecordsGroupCommitSpread() =>
        Task.WhenAll(Enumerable.Range(0, Logins).Select(_ => tokens.RecordAsync(Record(TokenIds.NewRandom()), CancellationToken.None)));

    [Benchmark(Description = "64 token records, group commit, ids drawn in shard runs")]
    [BenchmarkCategory("token records")]
    public Task RecordsGroupCommit() =>
        Task.WhenAll(Enumerable.Range(0, Logins).Select(_ => tokens.RecordAsync(NextRecord(), CancellationToken.None)));

    private TokenRecord NextRecord() => Record(tokens.NewTokenId());

    private static TokenRecord Record(string id) =>
        new() { TokenId = id, Subject = "magma:bench", Grant = "magma", IssuedAt = Now, ExpiresAt = Now.AddHours(1), ClientId = "bench" };
}
