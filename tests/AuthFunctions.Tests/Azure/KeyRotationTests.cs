using System.Net.Http;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Security.KeyVault.Secrets;
using AuthFunctions.Azure.Keys;
using AuthFunctions.Azure.Tables;
using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Tokens;
using AuthFunctions.Tests.Fakes;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AuthFunctions.Tests.Azure;

/// <summary>Rotation on demand: single-writer on every key store, and no valid token ever fails through it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class KeyRotationTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_795_000_000);

    private readonly FakeTimeProvider time = new(Now);
    private readonly string folder = Path.Combine(Path.GetTempPath(), "rotation-" + Guid.NewGuid().ToString("N"));
    private readonly List<IDisposable> disposables = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (var disposable in disposables)
        {
            disposable.Dispose();
        }

        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static TheoryData<string> Stores() => ["InMemory", "DevelopmentTable", "DevelopmentFile", "KeyVault"];

    /// <summary>A factory of store instances over one backing store, as separate Function instances would have.</summary>
    private Func<ISigningKeyStore> StoreFactory(string kind)
    {
        var tables = new AuthTables(new TableServiceClient(azurite.ConnectionString), Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString, TablePrefix = "r" + Guid.NewGuid().ToString("N")[..16] }));
        switch (kind)
        {
            case "InMemory":
                var shared = new InMemorySigningKeyStore();
                return () => shared;
            case "DevelopmentTable":
                return () => new TableSigningKeyStore(tables);
            case "DevelopmentFile":
                return () => new FileSigningKeyStore(Options.Create(new KeyStoreOptions { Store = KeyStoreOptions.DevelopmentFile, DevelopmentFolder = folder }));
            default:
                var vault = new FakeKeyVault();
                var http = new HttpClient(vault);
                disposables.Add(http);
                var credential = new Mock<TokenCredential>();
                credential.Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>())).ReturnsAsync(new AccessToken("fake", Now.AddYears(10)));
                var options = new SecretClientOptions { Transport = new HttpClientTransport(http) };
                options.Retry.MaxRetries = 0;
                var client = new SecretClient(new Uri(FakeKeyVault.VaultUri), credential.Object, options);
                return () => new KeyVaultSigningKeyStore(client, Options.Create(new KeyStoreOptions { VaultUri = FakeKeyVault.VaultUri }), time, tables);
        }
    }

    private KeyRing Ring(ISigningKeyStore store)
    {
        var ring = new KeyRing(store, Options.Create(new KeyRingOptions()), time, NullLogger<KeyRing>.Instance);
        disposables.Add(ring);
        return ring;
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Instances_rotating_at_once_add_exactly_one_key_on_every_store(string kind)
    {
        var newStore = StoreFactory(kind);
        var first = (await Ring(newStore()).GetAsync(Ct)).Signer.Record;
        var rendezvous = new Rendezvous(4);
        var rings = Enumerable.Range(0, 4).Select(_ => Ring(new RendezvousStore(newStore(), rendezvous))).ToList();

        var rotated = await Task.WhenAll(rings.Select(r => r.RotateAsync(Ct)));

        Assert.Single(rotated.Select(k => k.KeyId).Distinct());
        Assert.Equal(2, rotated[0].Generation);
        Assert.Equal(Now + new KeyRingOptions().PropagationDelay, rotated[0].SignsFrom);
        var stored = await newStore().LoadAsync(Ct);
        Assert.Equal([first.KeyId, rotated[0].KeyId], stored.OrderBy(k => k.Generation).Select(k => k.KeyId));
    }

    /// <summary>Holds the first read of every party until all have read: the rotations truly race.</summary>
    private sealed class Rendezvous(int parties)
    {
        private readonly TaskCompletionSource all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int arrived;

        public Task ArriveAsync()
        {
            if (Interlocked.Increment(ref arrived) == parties)
            {
                all.SetResult();
            }

            return all.Task;
        }
    }

    private sealed class RendezvousStore(ISigningKeyStore inner, Rendezvous rendezvous) : ISigningKeyStore
    {
        private int reads;

        public string Description => inner.Description;

        public async Task<IReadOnlyList<SigningKeyRecord>> LoadAsync(CancellationToken cancellationToken)
        {
            var keys = await inner.LoadAsync(cancellationToken);
            if (Interlocked.Increment(ref reads) == 1)
            {
                await rendezvous.ArriveAsync().WaitAsync(cancellationToken);
            }

            return keys;
        }

        public Task<WriteResult> TryAddAsync(SigningKeyRecord key, CancellationToken cancellationToken) => inner.TryAddAsync(key, cancellationToken);
    }

    [Fact]
    public async Task Through_a_forced_rotation_tokens_of_the_old_key_keep_validating_until_they_expire()
    {
        using var kit = new TokenKit(time: time);
        var lifetime = TimeSpan.FromDays(3);
        var old = await kit.Issuer.IssueAsync(new AccessTokenClaims { Subject = "magma:k", Grant = TokenGrants.Magma, Rights = default }, lifetime, Ct);
        var oldKid = (await kit.KeyRing.GetAsync(Ct)).Signer.Record.KeyId;

        var rotated = await kit.KeyRing.RotateAsync(Ct);

        // Published at once, signing after the propagation delay; the old key signs until then.
        Assert.True((await kit.KeyRing.GetAsync(Ct)).ValidationKeys.ContainsKey(rotated.KeyId));
        Assert.Equal(oldKid, (await kit.KeyRing.GetAsync(Ct)).Signer.Record.KeyId);
        Assert.True((await kit.Validator.ValidateAsync(old.AccessToken, Ct)).Succeeded);

        time.Advance(kit.KeyOptions.PropagationDelay + TimeSpan.FromMinutes(1));
        await kit.KeyRing.RefreshAsync(Ct);
        var fresh = await kit.Issuer.IssueAsync(new AccessTokenClaims { Subject = "magma:k", Grant = TokenGrants.Magma, Rights = default }, lifetime, Ct);
        Assert.Equal(rotated.KeyId, new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(fresh.AccessToken).Kid);
        Assert.True((await kit.Validator.ValidateAsync(old.AccessToken, Ct)).Succeeded);
        Assert.True((await kit.Validator.ValidateAsync(fresh.AccessToken, Ct)).Succeeded);

        time.Advance(lifetime);
        Assert.False((await kit.Validator.ValidateAsync(old.AccessToken, Ct)).Succeeded);
    }
}
