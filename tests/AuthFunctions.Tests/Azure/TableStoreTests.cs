using System.Globalization;
using AuthFunctions.Azure.Keys;
using AuthFunctions.Azure.Tables;
using AuthFunctions.Core.Keys;
using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Tokens;
using AuthFunctions.Core.Users;
using AuthFunctions.Tests.Fakes;
using AuthFunctions.Tests.Infrastructure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Tests.Azure;

[Collection(AzuriteCollection.Name)]
public sealed class TableStoreTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Now = new(2026, 11, 22, 18, 0, 0, TimeSpan.Zero);

    private readonly string prefix = "s" + Guid.NewGuid().ToString("N")[..16];

    private AuthTables Tables() => new(new TableServiceClient(azurite.ConnectionString), Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString, TablePrefix = prefix }));

    private static User NewUser(string id, string username) => new()
    {
        Id = id,
        Username = username,
        PasswordHash = "hash",
        DisplayName = "N",
        Rights = Rights.Data,
        CreatedAt = Now,
    };

    [Fact]
    public async Task Magma_key_names_and_tenant_ids_compare_without_regard_to_case_and_keep_their_display_form()
    {
        var keys = new MagmaKeyTable(Tables());
        var key = new MagmaKey { Name = "Deleg", SecretHash = "h", Rights = Rights.Data, CreatedAt = Now };
        var tenants = new TenantTable(Tables());

        Assert.Equal(WriteResult.Written, await keys.AddAsync(key, Ct));
        Assert.Equal(WriteResult.Conflict, await keys.AddAsync(key with { Name = "DELEG" }, Ct));
        Assert.Equal("Deleg", (await keys.FindAsync("deleg", Ct))?.Name);
        Assert.Equal(WriteResult.Written, await tenants.AddAsync(new AuthFunctions.Core.Tenants.Tenant { Id = "Acme", Name = "A", CreatedAt = Now }, Ct));
        Assert.Equal("Acme", (await tenants.FindAsync("ACME", Ct))?.Id);
        Assert.True(await keys.DeleteAsync(key with { Name = "dElEg" }, Ct));
        Assert.Null(await keys.FindAsync("Deleg", Ct));
    }

    [Fact]
    public async Task A_value_storage_refuses_is_an_input_error_not_an_outage()
    {
        var table = await Tables().GetAsync(AuthTables.Users, Ct);
        var entity = new TableEntity("too-large", string.Empty) { ["Text"] = new string('x', 40_000) };

        await Assert.ThrowsAsync<StoreRejectedInputException>(() => AuthTables.Run(() => table.AddEntityAsync(entity, Ct)));
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>("too-large", string.Empty, cancellationToken: Ct)).HasValue);
    }

    [Fact]
    public async Task Looking_up_an_unknown_username_costs_the_same_storage_requests_as_a_known_one()
    {
        var counter = new RequestCounter();
        var clientOptions = new TableClientOptions();
        clientOptions.AddPolicy(counter, global::Azure.Core.HttpPipelinePosition.PerCall);
        var users = new UserTable(new AuthTables(new TableServiceClient(azurite.ConnectionString, clientOptions), Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString, TablePrefix = prefix })));
        await users.AddAsync(NewUser("u_known0000000000", "known"), Ct);

        var known = await counter.CountAsync(() => users.FindByUsernameAsync("known", Ct));
        var unknown = await counter.CountAsync(() => users.FindByUsernameAsync("unknown", Ct));

        Assert.Equal((2, true), (known.Requests, known.Result is not null));
        Assert.Equal((2, true), (unknown.Requests, unknown.Result is null));
    }

    /// <summary>Counts the HTTP requests that reach Table Storage.</summary>
    private sealed class RequestCounter : global::Azure.Core.Pipeline.HttpPipelineSynchronousPolicy
    {
        private int count;

        public override void OnSendingRequest(global::Azure.Core.HttpMessage message) => Interlocked.Increment(ref count);

        public async Task<(int Requests, T Result)> CountAsync<T>(Func<Task<T>> call)
        {
            var before = Volatile.Read(ref count);
            var result = await call();
            return (Volatile.Read(ref count) - before, result);
        }
    }

    [Fact]
    public async Task A_user_round_trips_by_id_and_by_username_in_any_case()
    {
        var users = new UserTable(Tables());

        Assert.Equal(WriteResult.Written, await users.AddAsync(NewUser("u1", "Alice") with { Email = "a@example.test", SuperUser = true }, Ct));

        var byName = await users.FindByUsernameAsync("aLiCe", Ct);
        var byId = await users.FindByIdAsync("u1", Ct);
        Assert.Equal("Alice", byName!.Username);
        Assert.Equal(byName, byId);
        Assert.True(byId!.SuperUser);
        Assert.Equal(Now, byId.CreatedAt);
        Assert.Null(await users.FindByUsernameAsync("bob", Ct));
    }

    [Fact]
    public async Task A_second_user_with_the_same_username_is_a_conflict_and_leaves_no_orphan_row()
    {
        var tables = Tables();
        var users = new UserTable(tables);
        await users.AddAsync(NewUser("u1", "alice"), Ct);

        Assert.Equal(WriteResult.Conflict, await users.AddAsync(NewUser("u2", "ALICE"), Ct));

        Assert.Null(await users.FindByIdAsync("u2", Ct));
        Assert.Equal("u1", (await users.FindByUsernameAsync("alice", Ct))!.Id);
    }

    [Fact]
    public async Task Magma_keys_add_find_and_delete_with_point_operations()
    {
        var keys = new MagmaKeyTable(Tables());
        var key = new MagmaKey { Name = "srv", SecretHash = "h", Rights = Rights.Data | Rights.Authenticate, TenantId = "t1", ExpiresAt = Now.AddDays(1), CreatedAt = Now };

        Assert.Equal(WriteResult.Written, await keys.AddAsync(key, Ct));
        Assert.Equal(WriteResult.Conflict, await keys.AddAsync(key with { SecretHash = "other" }, Ct));
        Assert.Equal(key, (await keys.FindAsync("srv", Ct))! with { Version = null });
        var listed = await keys.ListByTenantAsync("T1", PageRequest.First, Ct);
        Assert.Equal(new MagmaKeySummary("srv", key.Rights, "t1", key.ExpiresAt, true, Now), Assert.Single(listed.Items));
        Assert.True(await keys.DeleteAsync(key, Ct));
        Assert.False(await keys.DeleteAsync(key, Ct));
        Assert.Null(await keys.FindAsync("srv", Ct));
        Assert.Empty((await keys.ListByTenantAsync("t1", PageRequest.First, Ct)).Items);
    }

    [Fact]
    public async Task A_token_record_is_found_from_its_jti_and_expiry_alone_in_its_expiry_hour_partition()
    {
        var tables = Tables();
        var tokens = new TokenTable(tables);
        var record = new TokenRecord { TokenId = "jti-1", Subject = "magma:srv", Grant = "magma", IssuedAt = Now, ExpiresAt = Now.AddHours(1), ClientId = "srv" };

        await tokens.RecordAsync(record, Ct);

        Assert.Equal(record, await tokens.FindAsync("jti-1", Now.AddHours(1), Ct));
        Assert.Null(await tokens.FindAsync("jti-1", Now.AddHours(2), Ct));
        var partition = TokenTable.PartitionFor("jti-1", Now.AddHours(1));
        Assert.StartsWith("2026112219-", partition, StringComparison.Ordinal);
        var raw = await (await tables.GetAsync(AuthTables.Tokens, Ct)).GetEntityAsync<TableEntity>(partition, "jti-1", cancellationToken: Ct);
        Assert.Equal("magma:srv", raw.Value.GetString("Subject"));
    }

    [Fact]
    public async Task Token_records_written_at_once_share_transactions_and_each_is_durable_when_its_call_returns()
    {
        var counter = new RequestCounter();
        var clientOptions = new TableClientOptions();
        clientOptions.AddPolicy(counter, global::Azure.Core.HttpPipelinePosition.PerCall);
        var tokens = new TokenTable(new AuthTables(new TableServiceClient(azurite.ConnectionString, clientOptions), Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString, TablePrefix = prefix })));
        await tokens.RecordAsync(Record("warm-up"), Ct);

        // 320 logins at once: 20 per shard, all expiring in one hour.
        var records = Enumerable.Range(0, 320).Select(i => Record("jti-" + i)).ToList();
        var written = await counter.CountAsync(async () =>
        {
            await Task.WhenAll(records.Select(r => tokens.RecordAsync(r, Ct)));
            return true;
        });

        Assert.InRange(written.Requests, TokenTable.Shards, records.Count / 2);
        foreach (var record in records)
        {
            Assert.Equal(record, await tokens.FindAsync(record.TokenId, record.ExpiresAt, Ct));
        }
    }

    [Fact]
    public async Task Records_of_tokens_issued_together_go_out_in_a_few_transactions()
    {
        var counter = new RequestCounter();
        var tokens = new TokenTable(CountedTables(counter));
        await tokens.RecordAsync(Record(tokens.NewTokenId()), Ct);

        // 320 logins at once, with ids drawn as the issuer draws them: 4 runs, so at most 4 shards, each written
        // by one insert and then full transactions, and perhaps one short one. Ids spread over all 16 shards
        // take 16 requests or more.
        var records = Enumerable.Range(0, 320).Select(_ => Record(tokens.NewTokenId())).ToList();
        var written = await counter.CountAsync(async () =>
        {
            await Task.WhenAll(records.Select(r => tokens.RecordAsync(r, Ct)));
            return true;
        });

        var shards = records.Select(r => TokenTable.PartitionFor(r.TokenId, r.ExpiresAt)).Distinct().Count();
        Assert.InRange(shards, 1, 4);
        Assert.InRange(written.Requests, 1, (2 * shards) + (records.Count / TokenTable.MaxBatch) + 1);
        foreach (var record in records)
        {
            Assert.Equal(record, await tokens.FindAsync(record.TokenId, record.ExpiresAt, Ct));
        }
    }

    [Fact]
    public void Token_ids_drawn_in_a_row_share_a_shard_in_runs_whose_shards_follow_no_order()
    {
        var tokens = new TokenTable(Tables());

        // The n-th id drawn (from 1) belongs to run n / RunLength.
        var ids = Enumerable.Range(1, 300 * TokenTable.RunLength).Select(n => (Run: n / TokenTable.RunLength, Id: tokens.NewTokenId())).ToList();
        var runs = ids.GroupBy(id => id.Run, id => TokenTable.PartitionFor(id.Id, Now)).Select(run => run.Distinct().ToList()).ToList();

        Assert.Equal(ids.Count, ids.Select(id => id.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^[A-Za-z0-9_-]{22}$", id.Id));
        Assert.All(runs, shards => Assert.Single(shards));
        var order = runs.Select(shards => shards[0]).ToList();
        Assert.Equal(TokenTable.Shards, order.Distinct().Count());

        // Not the next shard each time (a jti would then count the tokens issued between two of them), and
        // not the same order on another instance.
        var steps = order.Zip(order.Skip(1), (a, b) => int.Parse(b[^2..], CultureInfo.InvariantCulture) - int.Parse(a[^2..], CultureInfo.InvariantCulture));
        Assert.InRange(steps.Count(step => step is 1 or 1 - TokenTable.Shards), 0, order.Count / 4);
        var other = new TokenTable(Tables());
        var otherOrder = Enumerable.Range(1, 20 * TokenTable.RunLength).Select(n => (N: n, Id: other.NewTokenId()))
            .Where(id => id.N % TokenTable.RunLength == TokenTable.RunLength / 2).Select(id => TokenTable.PartitionFor(id.Id, Now)).ToList();
        Assert.NotEqual(order.Take(20), otherOrder);
    }

    [Fact]
    public async Task A_record_storage_refuses_fails_only_its_own_call_not_the_others_of_its_batch()
    {
        var tokens = new TokenTable(Tables());
        var partition = TokenTable.PartitionFor("bad-0", Now.AddHours(1));
        var ids = Enumerable.Range(0, 400).Select(i => "ok-" + i).Where(id => TokenTable.PartitionFor(id, Now.AddHours(1)) == partition).Take(10).ToList();
        var bad = Record("bad-0") with { Subject = new string('s', 40_000) };

        var calls = ids.Select(id => tokens.RecordAsync(Record(id), Ct)).Append(tokens.RecordAsync(bad, Ct)).ToList();
        var outcome = await Task.WhenAll(calls.Select(async call =>
        {
            try
            {
                await call;
                return null;
            }
            catch (StoreRejectedInputException exception)
            {
                return exception;
            }
        }));

        Assert.NotNull(outcome[^1]);
        Assert.All(outcome[..^1], Assert.Null);
        Assert.Null(await tokens.FindAsync("bad-0", Now.AddHours(1), Ct));
        foreach (var id in ids)
        {
            Assert.NotNull(await tokens.FindAsync(id, Now.AddHours(1), Ct));
        }
    }

    private AuthTables CountedTables(RequestCounter counter)
    {
        var clientOptions = new TableClientOptions();
        clientOptions.AddPolicy(counter, global::Azure.Core.HttpPipelinePosition.PerCall);
        return new AuthTables(new TableServiceClient(azurite.ConnectionString, clientOptions), Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString, TablePrefix = prefix }));
    }

    [Fact]
    public async Task Logins_with_one_key_at_once_share_its_read_and_a_key_deleted_is_gone_for_every_later_login()
    {
        var counter = new RequestCounter();
        var keys = new MagmaKeyTable(CountedTables(counter));
        var key = new MagmaKey { Name = "busy", SecretHash = "h", Rights = Rights.Data, CreatedAt = Now };
        await keys.AddAsync(key, Ct);

        var read = await counter.CountAsync(() => Task.WhenAll(Enumerable.Range(0, 64).Select(_ => keys.FindAsync("BUSY", Ct))));
        Assert.All(read.Result, found => Assert.Equal(key with { Version = found!.Version }, found));
        Assert.InRange(read.Requests, 1, 8);

        // Readers keep the key hot while it is deleted: every read that begins after the delete returned misses it.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var readers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await keys.FindAsync("busy", Ct);
            }
        }, Ct)).ToList();
        await Task.Delay(50, Ct);
        Assert.True(await keys.DeleteAsync(key, Ct));
        var after = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => keys.FindAsync("busy", Ct)));
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        Assert.All(after, Assert.Null);
    }

    [Fact]
    public async Task Tokens_of_one_client_checked_at_once_share_its_cut_off_read_and_a_new_cut_off_is_seen_at_once()
    {
        var counter = new RequestCounter();
        var tokens = new TokenTable(CountedTables(counter));
        await tokens.SetCutoffAsync("magma:srv", Now, Ct);

        var read = await counter.CountAsync(() => Task.WhenAll(Enumerable.Range(0, 64).Select(_ => tokens.FindCutoffAsync("magma:srv", Ct))));
        Assert.All(read.Result, cutoff => Assert.Equal(Now, cutoff));
        Assert.InRange(read.Requests, 1, 8);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var readers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await tokens.FindCutoffAsync("magma:srv", Ct);
            }
        }, Ct)).ToList();
        await Task.Delay(50, Ct);
        await tokens.SetCutoffAsync("magma:srv", Now.AddMinutes(5), Ct);
        var after = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => tokens.FindCutoffAsync("magma:srv", Ct)));
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        Assert.All(after, cutoff => Assert.Equal(Now.AddMinutes(5), cutoff));
    }

    private static TokenRecord Record(string tokenId) =>
        new() { TokenId = tokenId, Subject = "magma:srv", Grant = "magma", IssuedAt = Now, ExpiresAt = Now.AddHours(1), ClientId = "srv" };

    [Fact]
    public void Token_ids_spread_over_all_shards_of_an_hour()
    {
        var shards = Enumerable.Range(0, 2000).Select(i => TokenTable.PartitionFor("token-" + i, Now)).Distinct().ToList();

        Assert.Equal(TokenTable.Shards, shards.Count);
    }

    [Fact]
    public async Task The_development_table_key_store_accepts_one_key_per_generation()
    {
        var store = new TableSigningKeyStore(Tables());
        var key = TestKeys.Record(1, "kid-1", Now);

        Assert.Equal(WriteResult.Written, await store.TryAddAsync(key, Ct));
        Assert.Equal(WriteResult.Conflict, await store.TryAddAsync(key with { KeyId = "kid-2" }, Ct));

        Assert.Equal(key, Assert.Single(await store.LoadAsync(Ct)));
    }

    [Fact]
    public async Task Unreachable_storage_is_StoreUnavailable_not_a_raw_SDK_exception()
    {
        var dead = azurite.ConnectionString.Replace($":{azurite.Port}/", ":1/", StringComparison.Ordinal);
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        var tables = new AuthTables(new TableServiceClient(dead, options), Options.Create(new StorageOptions { ConnectionString = dead, TablePrefix = prefix }));

        await Assert.ThrowsAsync<StoreUnavailableException>(() => new MagmaKeyTable(tables).FindAsync("x", Ct));
    }
}
