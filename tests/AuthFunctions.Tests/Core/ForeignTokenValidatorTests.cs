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
    private static readonly ForeignTokenRules Rules = new() { Issuer = "https://issuer.example", Audience = "us" };

    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ForeignTokenValidator validator = new(new FakeTimeProvider(Now));

    public void Dispose() => key.Dispose();

    private Task<SecurityKey?> Lookup(string kid, bool refresh, CancellationToken cancellationToken) =>
        Task.FromResult<SecurityKey?>(kid == "k1" ? new ECDsaSecurityKey(ECDsa.Create(key.ExportParameters(false))) { KeyId = "k1" } : null);

    private string Sign(SigningCredentials? credentials = null, string? typ = null, Dictionary<string, object>? header = null, TimeSpan? lifetime = null, Dictionary<string, object>? claims = null) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Rules.Issuer,
            Audience = Rules.Audience,
            // A date claim given in claims is written as given (the descriptor's would replace it).
            IssuedAt = claims?.ContainsKey("iat") == true ? null : Now.UtcDateTime,
            Expires = claims?.ContainsKey("exp") == true ? null : (Now + (lifetime ?? TimeSpan.FromMinutes(4))).UtcDateTime,
            TokenType = typ,
            AdditionalHeaderClaims = header,
            Claims = claims ?? new Dictionary<string, object> { ["sub"] = "s" },
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
    public async Task An_unknown_kid_is_refused() =>
        Assert.Equal(ErrorCodes.InvalidGrant, await RefusalAsync(Sign(new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = "k2" }, SecurityAlgorithms.EcdsaSha256))));

    public static TheoryData<string, object> DatesOutOfRange() => new()
    {
        { "iat", -99999999999L },
        { "iat", 99999999999999L },
        { "nbf", -1L },
        { "exp", 253402300800L },
        { "exp", 1e300 },
        { "exp", "tomorrow" },
        { "iat", true },
        { "nbf", new Dictionary<string, object> { ["at"] = 1 } },
    };

    [Theory]
    [MemberData(nameof(DatesOutOfRange))]
    public async Task A_date_claim_that_is_no_time_in_range_is_invalid_grant_not_an_exception(string claim, object value)
    {
        var token = Sign(claims: new Dictionary<string, object> { ["sub"] = "s", [claim] = value });

        var outcome = await validator.ValidateAsync(token, Rules, Lookup, Ct);

        Assert.Equal(ErrorCodes.InvalidGrant, outcome.Error?.Code);
        // A date IdentityModel cannot read at all fails its parse; one it reads fails our range check.
        Assert.Contains(outcome.Error?.Detail, new[] { "The token has a date claim (iat, nbf or exp) that is not a time in range.", "The token is not a JWT." });
        Assert.Equal(value is long, outcome.Error?.Detail == "The token has a date claim (iat, nbf or exp) that is not a time in range.");
    }

    [Fact]
    public async Task A_fractional_NumericDate_in_range_is_accepted() =>
        Assert.Null(await RefusalAsync(Sign(claims: new Dictionary<string, object> { ["sub"] = "s", ["nbf"] = Now.ToUnixTimeSeconds() - 0.5 })));

    public static TheoryData<int, int, string?> ShortLivedCases() => new()
    {
        // iat and exp in seconds from now; the refusal's detail, or null.
        { 0, 240, null },
        { 0, 300, null },
        { -60, 240, null },
        { 60, 300, null },
        { 0, 301, "The token lives longer than 5 minutes." },
        // A future iat cannot stretch the cap: exp − iat is 240 s, yet exp is 30 days away.
        { 2591760, 2592000, "The token is issued in the future." },
        { 61, 120, "The token is issued in the future." },
        { -400, 300, "The token lives longer than 5 minutes." },
        { 100, 361, "The token is issued in the future." },
    };

    [Theory]
    [MemberData(nameof(ShortLivedCases))]
    public void A_short_lived_token_is_held_to_the_clock_not_to_its_own_iat(int iatSeconds, int expSeconds, string? refusal)
    {
        var token = new JsonWebToken(new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Rules.Issuer,
            IssuedAt = Now.AddSeconds(iatSeconds).UtcDateTime,
            Expires = Now.AddSeconds(expSeconds).UtcDateTime,
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = "k1" }, SecurityAlgorithms.EcdsaSha256),
        }));

        Assert.Equal(refusal, validator.CheckShortLived(token, TimeSpan.FromMinutes(5))?.Detail);
    }

    [Fact]
    public void A_short_lived_token_needs_an_iat()
    {
        var token = new JsonWebToken(Sign());
        var noIat = new JsonWebToken(new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Rules.Issuer,
            Expires = Now.AddMinutes(4).UtcDateTime,
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = "k1" }, SecurityAlgorithms.EcdsaSha256),
        }));

        Assert.Null(validator.CheckShortLived(token, TimeSpan.FromMinutes(5)));
        Assert.Equal("The token has no iat.", validator.CheckShortLived(noIat, TimeSpan.FromMinutes(5))?.Detail);
    }
}
