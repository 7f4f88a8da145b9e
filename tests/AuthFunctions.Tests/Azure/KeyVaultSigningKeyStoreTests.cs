using AuthFunctions.Azure.Keys;
using AuthFunctions.Azure.Tables;
using AuthFunctions.Tests.Infrastructure;
using Azure.Data.Tables;
using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Storage;
using AuthFunctions.Tests.Fakes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AuthFunctions.Tests.Azure;

/// <summary>
/// The Key Vault store through the real SecretClient; only the HTTP transport and the credential
/// are fakes. Its generation claims live in real Table Storage (Azurite).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class KeyVaultSigningKeyStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_795_000_000);

    private readonly FakeKeyVault vault = new();
    private readonly FakeTimeProvider time = new(Now);
    private readonly HttpClient http;
    private readonly KeyVaultSigningKeyStore store;
    private readonly SecretClient client;
    private readonly AuthTables tables;

    public KeyVaultSigningKeyStoreTests(AzuriteFixture azurite)
    {
        var prefix = "kv" + Guid.NewGuid().ToString("N")[..16];
        tables = new AuthTables(new TableServiceClient(azurite.ConnectionString), Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString, TablePrefix = prefix }));
        http = new HttpClient(vault);
        var credential = new Mock<TokenCredential>();
        credential
            .Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AccessToken("fake-token", Now.AddYears(10)));
        var options = new SecretClientOptions { Transport = new HttpClientTransport(http) };
        options.Retry.MaxRetries = 0;
        client = new SecretClient(new Uri(FakeKeyVault.VaultUri), credential.Object, options);
        store = NewStore(time);
    }

    public void Dispose() => http.Dispose();

    private KeyVaultSigningKeyStore NewStore(TimeProvider clock) =>
        new(client, Options.Create(new KeyStoreOptions { VaultUri = FakeKeyVault.VaultUri }), clock, tables);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SigningKeyRecord Key(int generation, string kid) => TestKeys.Record(generation, kid, Now);

    [Fact]
    public async Task An_empty_vault_holds_no_keys()
    {
        Assert.Empty(await store.LoadAsync(Ct));
    }

    [Fact]
    public async Task A_key_is_a_secret_version_with_its_dates_in_tags_and_loads_back_equal()
    {
        var key = Key(1, "kid-1");

        Assert.Equal(WriteResult.Written, await store.TryAddAsync(key, Ct));

        var version = Assert.Single(vault.Versions);
        Assert.Equal("signing-keys", version.Name);
        Assert.Equal(key.PrivateKeyPem, version.Value);
        Assert.Equal("kid-1", version.Tags["kid"]);
        Assert.Equal("1", version.Tags["generation"]);
        Assert.Equal(key.RetiresAt.ToUnixTimeSeconds(), version.Expires);
        Assert.Equal(key, Assert.Single(await store.LoadAsync(Ct)));
    }

    [Fact]
    public async Task A_generation_that_exists_is_a_conflict_and_writes_nothing()
    {
        await store.TryAddAsync(Key(1, "kid-1"), Ct);

        Assert.Equal(WriteResult.Conflict, await store.TryAddAsync(Key(1, "kid-2"), Ct));

        Assert.Single(vault.Versions);
    }

    [Fact]
    public async Task A_writer_that_lost_a_race_disables_its_own_version_and_the_first_created_wins()
    {
        var winner = Key(1, "kid-winner");
        vault.BeforeSet = (v, _) =>
        {
            v.BeforeSet = null;
            v.Add("signing-keys", winner.PrivateKeyPem, KeyRecordTags(winner));
        };

        Assert.Equal(WriteResult.Conflict, await store.TryAddAsync(Key(1, "kid-loser"), Ct));

        var loser = vault.Versions.Single(v => v.Tags["kid"] == "kid-loser");
        Assert.False(loser.Enabled);
        Assert.Equal([loser.Id], vault.Patches);
        Assert.Equal(winner, Assert.Single(await store.LoadAsync(Ct)));
    }

    [Fact]
    public async Task Disabled_and_foreign_versions_are_ignored()
    {
        var key = Key(2, "kid-2");
        vault.Add("signing-keys", "not a key", new Dictionary<string, string> { ["note"] = "someone else's" });
        vault.Add("signing-keys", Key(1, "kid-1").PrivateKeyPem, KeyRecordTags(Key(1, "kid-1")), enabled: false);
        vault.Add("signing-keys", key.PrivateKeyPem, KeyRecordTags(key));

        Assert.Equal(key, Assert.Single(await store.LoadAsync(Ct)));
    }

    [Fact]
    public async Task A_vault_that_does_not_answer_is_StoreUnavailable()
    {
        vault.Unavailable = true;

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.LoadAsync(Ct));
    }

    [Fact]
    public async Task A_key_ring_over_the_vault_creates_one_key_and_a_restarted_ring_reuses_it()
    {
        using var first = new KeyRing(store, Options.Create(new KeyRingOptions()), time, NullLogger<KeyRing>.Instance);
        var kid = (await first.GetAsync(Ct)).Signer.Record.KeyId;

        using var second = new KeyRing(store, Options.Create(new KeyRingOptions()), time, NullLogger<KeyRing>.Instance);

        Assert.Equal(kid, (await second.GetAsync(Ct)).Signer.Record.KeyId);
        Assert.Single(vault.Versions);
    }

    private static Dictionary<string, string> KeyRecordTags(SigningKeyRecord key) => KeyRecordFormat.ToTags(key);

    [Fact]
    public async Task Bootstrap_secrets_are_read_with_the_apps_own_SecretClient_and_a_missing_one_is_null()
    {
        vault.Add("bootstrap-password", "from-the-vault", new Dictionary<string, string>());
        using var services = new ServiceCollection().AddSingleton(client).BuildServiceProvider();
        var secrets = new KeyVaultBootstrapSecrets(services);

        Assert.Equal("from-the-vault", await secrets.ReadAsync("bootstrap-password", Ct));
        Assert.Null(await secrets.ReadAsync("no-such-secret", Ct));
    }

    [Fact]
    public async Task Instances_writing_the_same_generation_at_once_leave_exactly_one_version()
    {
        var stores = Enumerable.Range(0, 6).Select(_ => NewStore(time)).ToList();

        var results = await Task.WhenAll(stores.Select((s, i) => s.TryAddAsync(Key(1, "kid-" + i), Ct)));

        Assert.Single(results, r => r == WriteResult.Written);
        Assert.Single(vault.Versions);
        Assert.Empty(vault.Patches);
    }

    [Fact]
    public async Task A_fresh_claim_of_another_instance_is_a_conflict_and_a_stale_one_is_taken_over()
    {
        var claims = await tables.GetAsync(AuthTables.SigningKeys, Ct);
        await claims.AddEntityAsync(new TableEntity("keyvault-claims", "0000000001") { ["KeyId"] = "crashed", ["ClaimedAt"] = Now }, Ct);

        time.Advance(KeyVaultSigningKeyStore.ClaimTimeout - TimeSpan.FromSeconds(1));
        Assert.Equal(WriteResult.Conflict, await store.TryAddAsync(Key(1, "kid-early"), Ct));
        Assert.Empty(vault.Versions);

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(WriteResult.Written, await store.TryAddAsync(Key(1, "kid-late"), Ct));
        Assert.Equal("kid-late", Assert.Single(vault.Versions).Tags["kid"]);
    }

    [Fact]
    public async Task A_key_ring_waits_for_the_claimants_key_instead_of_minting_its_own()
    {
        var claims = await tables.GetAsync(AuthTables.SigningKeys, Ct);
        var theirs = Key(1, "kid-theirs");
        await claims.AddEntityAsync(new TableEntity("keyvault-claims", "0000000001") { ["KeyId"] = theirs.KeyId, ["ClaimedAt"] = Now }, Ct);
        using var ring = new KeyRing(store, Options.Create(new KeyRingOptions()), time, NullLogger<KeyRing>.Instance);

        var waiting = ring.RefreshAsync(Ct);
        await Task.Delay(200, Ct);
        vault.Add("signing-keys", theirs.PrivateKeyPem, KeyRecordFormat.ToTags(theirs));
        while (!waiting.IsCompleted)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(10, Ct);
        }

        Assert.Equal("kid-theirs", (await waiting).Signer.Record.KeyId);
        Assert.Single(vault.Versions);
    }
}
