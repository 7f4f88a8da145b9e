using System.Security.Cryptography;
using System.Text.Json;
using AuthFunctions.Core.Licenses;
using AuthFunctions.Core.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Tests.Core;

public sealed class LicenseKeySourceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Jwks(params string[] kids) => JsonSerializer.Serialize(new
    {
        keys = kids.Select(kid =>
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ec) { KeyId = kid });
            return new { kty = jwk.Kty, crv = jwk.Crv, x = jwk.X, y = jwk.Y, kid };
        }).ToArray(),
    });

    private sealed class ScriptedFetcher : IJwksFetcher
    {
        public Queue<Func<string>> Answers { get; } = new();

        public int Calls { get; private set; }

        public Task<string> FetchAsync(Uri uri, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(Answers.Dequeue()());
        }
    }

    private static (LicenseKeySource Source, ScriptedFetcher Fetcher, FakeTimeProvider Time) Remote()
    {
        var fetcher = new ScriptedFetcher();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new LicenseSystemOptions { Issuer = "https://l.example", Audience = "a", JwksUri = "https://l.example/jwks" });
        return (new LicenseKeySource(options, fetcher, time), fetcher, time);
    }

    [Fact]
    public async Task Remote_keys_are_fetched_once_and_again_for_an_unknown_kid_at_most_once_a_minute()
    {
        var (source, fetcher, time) = Remote();
        using var _ = source;
        fetcher.Answers.Enqueue(() => Jwks("k1"));
        fetcher.Answers.Enqueue(() => Jwks("k1", "k2"));
        fetcher.Answers.Enqueue(() => Jwks("k1", "k2", "k3"));

        Assert.NotNull(await source.FindAsync("k1", refresh: false, Ct));
        Assert.Null(await source.FindAsync("k2", refresh: false, Ct));
        Assert.Null(await source.FindAsync("k2", refresh: true, Ct));
        Assert.Equal(1, fetcher.Calls);

        time.Advance(LicenseKeySource.MinimumRefreshInterval);
        Assert.NotNull(await source.FindAsync("k2", refresh: true, Ct));
        Assert.Equal(2, fetcher.Calls);
        Assert.NotNull(await source.FindAsync("k1", refresh: false, Ct));
        Assert.Equal(2, fetcher.Calls);
    }

    [Fact]
    public async Task Without_any_fetched_keys_an_unreachable_jwks_fails_closed_and_later_keys_survive_an_outage()
    {
        var (source, fetcher, time) = Remote();
        using var _ = source;
        fetcher.Answers.Enqueue(() => throw new HttpRequestException("down"));
        fetcher.Answers.Enqueue(() => Jwks("k1"));
        fetcher.Answers.Enqueue(() => throw new HttpRequestException("down again"));

        await Assert.ThrowsAsync<StoreUnavailableException>(() => source.FindAsync("k1", refresh: false, Ct));
        time.Advance(LicenseKeySource.MinimumRefreshInterval);
        Assert.NotNull(await source.FindAsync("k1", refresh: false, Ct));
        time.Advance(LicenseKeySource.MinimumRefreshInterval);
        Assert.NotNull(await source.FindAsync("k1", refresh: true, Ct));
        Assert.Null(await source.FindAsync("k9", refresh: false, Ct));
    }

    [Fact]
    public async Task Inline_keys_never_fetch_and_weak_rsa_keys_are_ignored()
    {
        using var weak = RSA.Create(1024);
        var rsa = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(weak.ExportParameters(false)) { KeyId = "weak" });
        var inline = JsonSerializer.Serialize(new { keys = new object[] { new { kty = "RSA", n = rsa.N, e = rsa.E, kid = "weak" } } });
        var fetcher = new ScriptedFetcher();
        using var source = new LicenseKeySource(Options.Create(new LicenseSystemOptions { Issuer = "i", Audience = "a", Jwks = inline }), fetcher, TimeProvider.System);

        Assert.Null(await source.FindAsync("weak", refresh: true, Ct));
        Assert.Equal(0, fetcher.Calls);
    }
}
