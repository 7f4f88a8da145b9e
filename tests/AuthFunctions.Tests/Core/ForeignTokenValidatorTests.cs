using System.Security.Cryptography;
using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Tokens;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Tests.Core;

/// <summary>The one path for JWTs others sign (license tokens, SSO assertions), against forgeries.</summary>
public sealed class ForeignTokenValidatorTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly ForeignTokenRules Rules = new() { Issuer = "https://issuer.example", Audience = "us", MaxLifetime = TimeSpan.FromMinutes(5) };

    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ForeignTokenValidator validator = new(new FakeTimeProvider(Now));

    public void Dispose() => key.Dispose();

    private Task<SecurityKey?> Lookup(string kid, bool refresh, CancellationToken cancellationToken) =>
        Task.FromResult<SecurityKey?>(kid == "k1" ? new ECDsaSecurityKey(ECDsa.Create(key.ExportParameters(false))) { KeyId = "k1" } : null);

    private string Sign(SigningCredentials? credentials = null, string? typ = null, Dictionary<string, object>? header = null, TimeSpan? lifetime = null) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Rules.Issuer,
            Audience = Rules.Audience,
            IssuedAt = Now.UtcDateTime,
            Expires = (Now + (lifetime ?? TimeSpan.FromMinutes(4))).UtcDateTime,
            TokenType = typ,
            AdditionalHeaderClaims = header,
            Claims = new Dictionary<string, object> { ["sub"] = "s" },
            SigningCredentials = credentials ?? new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = "k1" }, SecurityAlgorithms.EcdsaSha256),
        });

    private async Task<string?> RefusalAsync(string token) => (await validator.ValidateAsync(token, Rules, Lookup, Ct)).Error?.Code;

    [Fact]
    public async Task The_control_token_passes()
    {
        var outcome = await validator.ValidateAsync(Sign(), Rules, Lookup, Ct);

        Assert.True(outcome.Succeeded);
        Assert.Equal("s", outcome.Value.Subject);
    }

    [Fact]
    public async Task Alg_none_is_refused() =>
        Assert.Equal(ErrorCodes.InvalidGrant, await RefusalAsync(Base64UrlEncoder.Encode("""{"alg":"none","kid":"k1"}""") + "." + Sign().Split('.')[1] + "."));

    [Fact]
    public async Task An_HMAC_keyed_with_the_public_key_is_refused() =>
        Assert.Equal(ErrorCodes.InvalidGrant, await RefusalAsync(Sign(new SigningCredentials(new SymmetricSecurityKey(SHA256.HashData(key.ExportSubjectPublicKeyInfo())) { KeyId = "k1" }, SecurityAlgorithms.HmacSha256))));

    [Fact]
    public async Task An_ES256_header_over_an_RS256_signature_is_refused()
    {
        using var rsa = RSA.Create(2048);
        var parts = Sign(new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256)).Split('.');
        var header = Base64UrlEncoder.Encode("""{"alg":"ES256","kid":"k1"}""");

        Assert.Equal(ErrorCodes.InvalidGrant, await RefusalAsync($"{header}.{parts[1]}.{parts[2]}"));
    }

    [Theory]
    [InlineData("jwk")]
    [InlineData("jku")]
    [InlineData("x5u")]
    [InlineData("x5c")]
    [InlineData("crit")]
    public async Task A_token_that_brings_its_own_key_or_a_crit_is_refused(string header) =>
        Assert.Equal(ErrorCodes.InvalidGrant, await RefusalAsync(Sign(header: new Dictionary<string, object> { [header] = header == "crit" ? new[] { "exp" } : "https://evil.example/k" })));

    [Theory]
    [InlineData("at+jwt")]
    [InlineData("secevent+jwt")]
    public async Task A_typ_other_than_JWT_is_refused(string typ) => Assert.Equal(ErrorCodes.InvalidGrant, await RefusalAsync(Sign(typ: typ)));

    [Fact]
    public async Task JWT_as_typ_is_accepted() => Assert.Null(await RefusalAsync(Sign(typ: "JWT")));

    [Fact]
    public async Task An_unknown_kid_or_a_too_long_lifetime_is_refused()
    {
        Assert.Equal(ErrorCodes.InvalidGrant, await RefusalAsync(Sign(new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = "k2" }, SecurityAlgorithms.EcdsaSha256))));
        Assert.Equal(ErrorCodes.InvalidGrant, await RefusalAsync(Sign(lifetime: TimeSpan.FromMinutes(6))));
    }
}
