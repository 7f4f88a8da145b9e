using AuthFunctions.Core.Keys;
using AuthFunctions.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using System.Text.Json;

namespace AuthFunctions.Tests.Core;

public sealed class KeyRingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task First_use_creates_one_ES256_key_that_signs_at_once()
    {
        using var kit = new TokenKit();

        var snapshot = await kit.KeyRing.GetAsync(Ct);

        var key = Assert.Single(kit.Store.Keys);
        Assert.Equal(SigningAlgorithms.ES256, key.Algorithm);
        Assert.Equal(1, key.Generation);
        Assert.Equal(TokenKit.Start, key.SignsFrom);
        Assert.Equal(key.KeyId, snapshot.Signer.Record.KeyId);
        Assert.Equal(TokenKit.Start + kit.KeyOptions.RotationInterval, key.SignsUntil);
        Assert.Equal(key.SignsUntil + kit.KeyOptions.MaxTokenLifetime + KeyRing.ClockSkew, key.RetiresAt);
    }

    [Fact]
    public async Task RS256_is_selectable_by_configuration()
    {
        using var kit = new TokenKit(new KeyRingOptions { Algorithm = SigningAlgorithms.RS256 });

        var snapshot = await kit.KeyRing.GetAsync(Ct);

        Assert.Equal(SigningAlgorithms.RS256, snapshot.Signer.Record.Algorithm);
        using var jwks = JsonDocument.Parse(snapshot.Jwks);
        var jwk = Assert.Single(jwks.RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal("RSA", jwk.GetProperty("kty").GetString());
        Assert.Equal("RS256", jwk.GetProperty("alg").GetString());
    }

    [Fact]
    public async Task Keys_survive_a_restart_a_new_ring_over_the_same_store_reuses_them()
    {
        using var first = new TokenKit();
        var signer = (await first.KeyRing.GetAsync(Ct)).Signer.Record.KeyId;

        using var second = new TokenKit(store: first.Store, time: first.Time);
        var again = (await second.KeyRing.GetAsync(Ct)).Signer.Record.KeyId;

        Assert.Equal(signer, again);
        Assert.Single(first.Store.Keys);
    }

    [Fact]
    public async Task Many_instances_starting_at_once_converge_on_one_key()
    {
        var store = new InMemorySigningKeyStore();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TokenKit.Start);
        var kits = Enumerable.Range(0, 8).Select(_ => new TokenKit(store: store, time: time)).ToList();

        var signers = await Task.WhenAll(kits.Select(async k => (await k.KeyRing.GetAsync(Ct)).Signer.Record.KeyId));

        Assert.Single(store.Keys);
        Assert.Single(signers.Distinct());
        kits.ForEach(k => k.Dispose());
    }

    [Fact]
    public async Task A_successor_is_published_one_propagation_delay_before_it_signs()
    {
        using var kit = new TokenKit();
        var first = (await kit.KeyRing.GetAsync(Ct)).Signer.Record;

        kit.Time.SetUtcNow(first.SignsUntil - kit.KeyOptions.PropagationDelay - TimeSpan.FromMinutes(1));
        await kit.KeyRing.RefreshAsync(Ct);
        Assert.Single(kit.Store.Keys);

        kit.Time.SetUtcNow(first.SignsUntil - kit.KeyOptions.PropagationDelay);
        var snapshot = await kit.KeyRing.RefreshAsync(Ct);

        Assert.Equal(2, kit.Store.Keys.Count);
        var successor = kit.Store.Keys.Single(k => k.Generation == 2);
        Assert.Equal(first.SignsUntil, successor.SignsFrom);
        Assert.Equal(first.KeyId, snapshot.Signer.Record.KeyId);
        Assert.True(snapshot.ValidationKeys.ContainsKey(successor.KeyId), "the successor is in JWKS before it signs");

        kit.Time.SetUtcNow(first.SignsUntil);
        snapshot = await kit.KeyRing.GetAsync(Ct);
        Assert.Equal(successor.KeyId, snapshot.Signer.Record.KeyId);
        Assert.True(snapshot.ValidationKeys.ContainsKey(first.KeyId), "the previous key verifies until its tokens expired");

        kit.Time.SetUtcNow(first.RetiresAt);
        snapshot = await kit.KeyRing.RefreshAsync(Ct);
        Assert.False(snapshot.ValidationKeys.ContainsKey(first.KeyId));
    }

    [Fact]
    public async Task Changing_the_configured_intervals_later_never_retires_a_published_key_early()
    {
        using var kit = new TokenKit();
        var first = (await kit.KeyRing.GetAsync(Ct)).Signer.Record;

        var shorter = new KeyRingOptions { RotationInterval = TimeSpan.FromDays(3), PropagationDelay = TimeSpan.FromDays(1), MaxTokenLifetime = TimeSpan.FromMinutes(5) };
        using var reconfigured = new KeyRing(kit.Store, Options.Create(shorter), kit.Time, NullLogger<KeyRing>.Instance);
        kit.Time.SetUtcNow(TokenKit.Start + TimeSpan.FromDays(30));

        var snapshot = await reconfigured.RefreshAsync(Ct);

        Assert.Equal(first.KeyId, snapshot.Signer.Record.KeyId);
        Assert.True(snapshot.ValidationKeys.ContainsKey(first.KeyId));
    }

    [Fact]
    public void Key_retention_must_cover_the_longest_configured_token_lifetime()
    {
        var tokens = new AuthFunctions.Core.Tokens.TokenOptions { MagmaTokenLifetime = TimeSpan.FromHours(2), MaxApiTokenLifetime = TimeSpan.FromMinutes(90) };
        var validation = new KeyRetentionValidation(Options.Create(tokens));

        var tooShort = validation.Validate(null, new KeyRingOptions { MaxTokenLifetime = TimeSpan.FromHours(1) });
        var exact = validation.Validate(null, new KeyRingOptions { MaxTokenLifetime = TimeSpan.FromHours(2) });
        var defaults = new KeyRetentionValidation(Options.Create(new AuthFunctions.Core.Tokens.TokenOptions())).Validate(null, new KeyRingOptions());

        Assert.True(tooShort.Failed);
        Assert.Equal(
            "Keys:MaxTokenLifetime (01:00:00) must be at least the longest token lifetime, Auth:MagmaTokenLifetime (02:00:00): a signing key has to stay in JWKS until every token it signed has expired.",
            tooShort.FailureMessage);
        Assert.True(exact.Succeeded);
        Assert.True(defaults.Succeeded);
    }

    [Fact]
    public async Task Jwks_lists_public_keys_only_with_kid_alg_and_use()
    {
        using var kit = new TokenKit();
        var snapshot = await kit.KeyRing.GetAsync(Ct);

        using var jwks = JsonDocument.Parse(snapshot.Jwks);
        var jwk = Assert.Single(jwks.RootElement.GetProperty("keys").EnumerateArray());

        Assert.Equal(snapshot.Signer.Record.KeyId, jwk.GetProperty("kid").GetString());
        Assert.Equal("ES256", jwk.GetProperty("alg").GetString());
        Assert.Equal("sig", jwk.GetProperty("use").GetString());
        Assert.Equal("EC", jwk.GetProperty("kty").GetString());
        Assert.Equal("P-256", jwk.GetProperty("crv").GetString());
        Assert.False(jwk.TryGetProperty("d", out _), "the private part never leaves");
    }

    [Fact]
    public async Task Key_ids_are_never_reused()
    {
        using var kit = new TokenKit(new KeyRingOptions { RotationInterval = TimeSpan.FromDays(3), PropagationDelay = TimeSpan.FromDays(1) });
        for (var day = 0; day < 12; day++)
        {
            kit.Time.SetUtcNow(TokenKit.Start + TimeSpan.FromDays(day));
            await kit.KeyRing.RefreshAsync(Ct);
        }

        Assert.True(kit.Store.Keys.Count >= 4);
        Assert.Equal(kit.Store.Keys.Count, kit.Store.Keys.Select(k => k.KeyId).Distinct().Count());
    }

    [Fact]
    public async Task When_the_successor_cannot_be_written_the_current_key_keeps_signing()
    {
        var store = new RefusingStore(refuseFrom: 2);
        using var kit = new TokenKit(store: store);
        var first = (await kit.KeyRing.GetAsync(Ct)).Signer.Record;
        kit.Time.SetUtcNow(first.SignsUntil - kit.KeyOptions.PropagationDelay);

        var refreshing = kit.KeyRing.RefreshAsync(Ct);
        while (!refreshing.IsCompleted)
        {
            kit.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5, Ct);
        }

        Assert.Equal(first.KeyId, (await refreshing).Signer.Record.KeyId);
        Assert.True(store.Refusals > 1, "it tried again before giving up");
    }

    [Fact]
    public async Task Without_any_signer_a_key_that_cannot_be_written_is_StoreUnavailable()
    {
        var store = new RefusingStore(refuseFrom: 1);
        using var kit = new TokenKit(store: store);

        var refreshing = kit.KeyRing.RefreshAsync(Ct);
        while (!refreshing.IsCompleted)
        {
            kit.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5, Ct);
        }

        await Assert.ThrowsAsync<AuthFunctions.Core.Storage.StoreUnavailableException>(() => refreshing);
    }

    /// <summary>Another instance holds the claim of these generations and never finishes its write.</summary>
    private sealed class RefusingStore(int refuseFrom) : InMemorySigningKeyStore
    {
        public int Refusals { get; private set; }

        public override Task<AuthFunctions.Core.Storage.WriteResult> TryAddAsync(SigningKeyRecord key, CancellationToken cancellationToken)
        {
            if (key.Generation >= refuseFrom)
            {
                Refusals++;
                return Task.FromResult(AuthFunctions.Core.Storage.WriteResult.Conflict);
            }

            return base.TryAddAsync(key, cancellationToken);
        }
    }
}
