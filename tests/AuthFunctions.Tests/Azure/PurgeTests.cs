using Azure.Data.Tables;
using AuthFunctions.Azure.Tables;
using AuthFunctions.Core.Purge;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Tokens;
using AuthFunctions.Core.Users;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthFunctions.Tests.Azure;

/// <summary>The purge over Azurite, driven by a fake clock: exactly the expired partitions go, nothing live is touched.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PurgeTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // 12:20 with 15 minutes of grace: every hour partition up to 11:00 is dead, 12:00 is not yet.
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 20, 0, TimeSpan.Zero);

    private readonly string prefix = "p" + Guid.NewGuid().ToString("N")[..16];

    private AuthTables Tables() => new(new TableServiceClient(azurite.ConnectionString), Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString, TablePrefix = prefix }));

    private PurgeJob Job(AuthTables tables, TimeProvider clock) =>
        new(new PurgeTable(tables), Options.Create(new PurgeOptions()), clock, NullLogger<PurgeJob>.Instance);

    private async Task<List<string>> RowsAsync(AuthTables tables, string table)
    {
        var client = await tables.GetAsync(table, Ct);
        var rows = new List<string>();
        await foreach (var row in client.QueryAsync<TableEntity>(cancellationToken: Ct))
        {
            rows.Add(row.PartitionKey + "/" + row.RowKey);
        }

        return rows;
    }

    private static TokenRecord Token(string id, DateTimeOffset expiresAt) =>
        new() { TokenId = id, Subject = "magma:k", Grant = TokenGrants.Magma, IssuedAt = expiresAt.AddHours(-1), ExpiresAt = expiresAt };

    [Fact]
    public async Task The_purge_removes_exactly_what_expired_a_grace_period_ago_and_never_reads_a_live_partition()
    {
        var tables = Tables();
        var tokens = new TokenTable(tables);
        var assertions = new AssertionReplayTable(tables);
        var failures = new LoginFailureTable(tables);
        var apiTokens = new ApiTokenTable(tables);

        // Dead: expired in hours whose end is more than the grace period ago.
        await tokens.RecordAsync(Token("dead-1", Now.AddHours(-20)), Ct);
        await tokens.RecordAsync(Token("dead-2", new DateTimeOffset(2026, 11, 25, 11, 50, 0, TimeSpan.Zero)), Ct);
        await assertions.TryUseAsync("k", "jti-dead", Now.AddHours(-3), Ct);
        await failures.TryWriteAsync(new LoginFailures { UsernameKey = "old", Count = 2, WindowStart = Now.AddDays(-1).AddHours(-2) }, Ct);
        await tokens.SetCutoffAsync("magma:gone", Now.AddDays(-366).AddHours(-1), Ct);
        await apiTokens.AddAsync(new ApiToken { Id = "api-dead", UserId = "u_x", CreatedAt = Now.AddDays(-30), ExpiresAt = Now.AddHours(-5), CreatedBy = "u_admin" }, Ct);

        // Alive, or expired within the grace period (its hour partition is not dead yet).
        await tokens.RecordAsync(Token("grace", new DateTimeOffset(2026, 11, 25, 12, 10, 0, TimeSpan.Zero)), Ct);
        await tokens.RecordAsync(Token("live", Now.AddHours(1)), Ct);
        await assertions.TryUseAsync("k", "jti-live", Now.AddMinutes(3), Ct);
        await failures.TryWriteAsync(new LoginFailures { UsernameKey = "recent", Count = 1, WindowStart = Now.AddMinutes(-5) }, Ct);
        await tokens.SetCutoffAsync("magma:recent", Now.AddDays(-1), Ct);
        await apiTokens.AddAsync(new ApiToken { Id = "api-live", UserId = "u_x", CreatedAt = Now, ExpiresAt = Now.AddDays(300), CreatedBy = "u_admin" }, Ct);

        var report = await Job(tables, new FakeTimeProvider(Now)).RunOnceAsync(Ct);

        Assert.Empty(report.Errors);
        Assert.Equal(["grace", "live"], (await RowsAsync(tables, AuthTables.Tokens)).Select(r => r.Split('/')[1]).Order());
        Assert.Single(await RowsAsync(tables, AuthTables.AssertionReplays));
        Assert.Equal(["recent/"], await RowsAsync(tables, AuthTables.LoginFailures));
        Assert.Equal(["magma:recent/"], await RowsAsync(tables, AuthTables.TokenCutoffs));
        Assert.Equal(["api-live/"], await RowsAsync(tables, AuthTables.ApiTokenIds));
        Assert.Equal(["u_x/api-live"], await RowsAsync(tables, AuthTables.ApiTokens));
        Assert.Equal(2 + 1 + 1 + 1 + 2, report.Total);
        Assert.NotNull(await tokens.FindAsync("live", Now.AddHours(1), Ct));

        // Again, and two at once: nothing more to do, and no harm.
        var again = await Task.WhenAll(Job(tables, new FakeTimeProvider(Now)).RunOnceAsync(Ct), Job(tables, new FakeTimeProvider(Now)).RunOnceAsync(Ct));
        Assert.All(again, r => Assert.Equal((0, 0), (r.Total, r.Errors.Count)));

        // An hour later the grace-period token's hour is dead too; the live one (13:20) still stands.
        var later = await Job(tables, new FakeTimeProvider(Now.AddHours(1))).RunOnceAsync(Ct);
        Assert.Equal(1, later.Removed[PurgeTable.TokenKind]);
        Assert.Equal(["live"], (await RowsAsync(tables, AuthTables.Tokens)).Select(r => r.Split('/')[1]));
    }

    [Fact]
    public async Task A_counter_written_again_after_it_was_noted_is_not_purged_under_its_old_note()
    {
        var tables = Tables();
        var failures = new LoginFailureTable(tables);
        await failures.TryWriteAsync(new LoginFailures { UsernameKey = "bob", Count = 1, WindowStart = Now.AddDays(-1).AddHours(-3) }, Ct);
        var stored = await failures.FindAsync("bob", Ct);
        await failures.TryWriteAsync(stored! with { Count = 1, WindowStart = Now.AddMinutes(-1) }, Ct);

        var report = await Job(tables, new FakeTimeProvider(Now)).RunOnceAsync(Ct);

        Assert.Equal(0, report.Removed[PurgeTable.ExpiryKind]);
        Assert.Equal(1, (await failures.FindAsync("bob", Ct))!.Count);
        Assert.Single(await RowsAsync(tables, AuthTables.Expiries));
    }

    [Fact]
    public async Task Two_runs_at_once_over_the_same_dead_rows_both_succeed_and_leave_nothing()
    {
        var tables = Tables();
        var tokens = new TokenTable(tables);
        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => tokens.RecordAsync(Token("t" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture), Now.AddHours(-2 - (i % 3))), Ct)));
        await new ApiTokenTable(tables).AddAsync(new ApiToken { Id = "api-dead", UserId = "u_x", CreatedAt = Now.AddDays(-30), ExpiresAt = Now.AddHours(-5), CreatedBy = "u_admin" }, Ct);

        var reports = await Task.WhenAll(Job(tables, new FakeTimeProvider(Now)).RunOnceAsync(Ct), Job(tables, new FakeTimeProvider(Now)).RunOnceAsync(Ct));

        Assert.All(reports, r => Assert.Empty(r.Errors));
        Assert.Empty(await RowsAsync(tables, AuthTables.Tokens));
        Assert.Empty(await RowsAsync(tables, AuthTables.ApiTokenIds));
        Assert.Empty(await RowsAsync(tables, AuthTables.Expiries));
    }

    [Fact]
    public async Task A_run_is_bounded_and_the_next_one_goes_on_from_the_watermark()
    {
        var tables = Tables();
        var tokens = new TokenTable(tables);
        await tokens.RecordAsync(Token("old", Now.AddHours(-40)), Ct);
        await tokens.RecordAsync(Token("older", Now.AddHours(-46)), Ct);
        var bounded = new PurgeJob(new PurgeTable(tables), Options.Create(new PurgeOptions { MaxHoursPerRun = 5 }), new FakeTimeProvider(Now), NullLogger<PurgeJob>.Instance);

        var first = await bounded.RunOnceAsync(Ct);
        Assert.Equal((5, 1), (first.Hours[PurgeTable.TokenKind], first.Removed[PurgeTable.TokenKind]));
        Assert.Single(await RowsAsync(tables, AuthTables.Tokens));

        var second = await bounded.RunOnceAsync(Ct);
        Assert.Equal((5, 1), (second.Hours[PurgeTable.TokenKind], second.Removed[PurgeTable.TokenKind]));
        Assert.Empty(await RowsAsync(tables, AuthTables.Tokens));
    }
}
