using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Tests.Http;

/// <summary><c>POST /api/authentication/licensesystem</c> against a license system whose keys are configured inline.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LicenseLoginTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string LicenseIssuer = "https://license.example.test";
    private const string LicenseAudience = "authfunctions";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ECDsa licenseKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private LocalHostServer server = null!;

    private string LicenseJwks()
    {
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(licenseKey.ExportParameters(false))) { KeyId = "lic-1" });
        return JsonSerializer.Serialize(new { keys = new[] { new { kty = jwk.Kty, crv = jwk.Crv, x = jwk.X, y = jwk.Y, kid = jwk.Kid, use = "sig", alg = "ES256" } } });
    }

    public async ValueTask InitializeAsync()
    {
        server = await LocalHostServer.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["LicenseSystem:Issuer"] = LicenseIssuer,
            ["LicenseSystem:Audience"] = LicenseAudience,
            ["LicenseSystem:Jwks"] = LicenseJwks(),
        });
    }

    [Fact]
    public async Task Keys_published_at_a_jwks_uri_are_fetched_over_http_once()
    {
        var fetches = 0;
        var publisher = WebApplication.CreateSlimBuilder();
        publisher.WebHost.UseUrls("http://127.0.0.1:0");
        await using var jwksServer = publisher.Build();
        jwksServer.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref fetches);
            return Microsoft.AspNetCore.Http.Results.Text(LicenseJwks(), "application/json");
        });
        await jwksServer.StartAsync(Ct);
        var address = jwksServer.Urls.Single();
        await using var remote = await LocalHostServer.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["LicenseSystem:Issuer"] = LicenseIssuer,
            ["LicenseSystem:Audience"] = LicenseAudience,
            ["LicenseSystem:JwksUri"] = address + "/jwks",
        });

        using var first = await remote.SendAsync(HttpMethod.Post, "/api/authentication/licensesystem", json: JsonSerializer.Serialize(new { token = License() }));
        using var second = await remote.SendAsync(HttpMethod.Post, "/api/authentication/licensesystem", json: JsonSerializer.Serialize(new { token = License() }));
        await jwksServer.StopAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, fetches);
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        licenseKey.Dispose();
        otherKey.Dispose();
    }

    private string License(
        DateTimeOffset? expires = null,
        string issuer = LicenseIssuer,
        string audience = LicenseAudience,
        ECDsa? key = null,
        Dictionary<string, object>? claims = null,
        string? typ = null,
        Dictionary<string, object>? header = null)
    {
        var now = DateTimeOffset.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (expires ?? now.AddHours(2)).UtcDateTime,
            TokenType = typ,
            AdditionalHeaderClaims = header,
            Claims = claims ?? new Dictionary<string, object> { ["sub"] = "holder-7", ["name"] = "Lena Holder", ["email"] = "lena@example.test", ["rights"] = new[] { "data", "index", "administration", "mystery" } },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key ?? licenseKey) { KeyId = "lic-1" }, SecurityAlgorithms.EcdsaSha256),
        });
    }

    /// <summary>A license token signed by the right key whose date claims are exactly <paramref name="dates"/>.</summary>
    private string Dated(Dictionary<string, object> dates) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = LicenseIssuer,
            Audience = LicenseAudience,
            Claims = new Dictionary<string, object> { ["sub"] = "holder-7" }.Concat(dates).ToDictionary(),
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(licenseKey) { KeyId = "lic-1" }, SecurityAlgorithms.EcdsaSha256),
        });

    private Task<HttpResponseMessage> ExchangeAsync(string token) =>
        server.SendAsync(HttpMethod.Post, "/api/authentication/licensesystem", json: JsonSerializer.Serialize(new { token }));

    [Fact]
    public async Task A_valid_license_token_becomes_our_token_with_at_most_the_allowed_rights()
    {
        using var response = await ExchangeAsync(License());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var jwt = new JsonWebToken(body.GetProperty("accessToken").GetString());
        Assert.Equal("license:holder-7", jwt.Subject);
        Assert.Equal("license", jwt.GetPayloadValue<string>("grant"));
        Assert.Equal(["data", "index"], jwt.GetPayloadValue<List<string>>("rights"));
        Assert.Equal("Lena Holder", jwt.GetPayloadValue<string>("name"));
        Assert.Equal("lena@example.test", jwt.GetPayloadValue<string>("email"));
        Assert.Equal(3600, body.GetProperty("expiresIn").GetInt32());
        using var details = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", jwt.EncodedToken);
        Assert.Equal(HttpStatusCode.OK, details.StatusCode);
    }

    [Fact]
    public async Task Our_token_never_outlives_the_license_token()
    {
        var expires = DateTimeOffset.UtcNow.AddMinutes(10);

        using var response = await ExchangeAsync(License(expires));

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.InRange(body.GetProperty("expiresIn").GetInt32(), 1, 600);
        Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() <= expires);
    }

    public static TheoryData<string> Forgeries() => ["expired", "issuer", "audience", "other-key", "alg-none", "not-a-jwt", "hs256", "embedded-jwk", "jku", "typ-at+jwt", "no-kid", "exp-out-of-range", "iat-out-of-range"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Expired_foreign_or_forged_license_tokens_are_401_invalid_grant(string forgery)
    {
        var token = forgery switch
        {
            "expired" => License(expires: DateTimeOffset.UtcNow.AddMinutes(-2)),
            "issuer" => License(issuer: "https://evil.example.test"),
            "audience" => License(audience: "someone-else"),
            "other-key" => License(key: otherKey),
            "alg-none" => Base64UrlEncoder.Encode("""{"alg":"none","kid":"lic-1"}""") + "." + License().Split('.')[1] + ".",
            "not-a-jwt" => "definitely not a jwt",
            "hs256" => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = LicenseIssuer,
                Audience = LicenseAudience,
                Expires = DateTime.UtcNow.AddHours(1),
                Claims = new Dictionary<string, object> { ["sub"] = "x" },
                SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(SHA256.HashData(licenseKey.ExportSubjectPublicKeyInfo())) { KeyId = "lic-1" }, SecurityAlgorithms.HmacSha256),
            }),
            "embedded-jwk" => License(header: new Dictionary<string, object> { ["jwk"] = new Dictionary<string, object> { ["kty"] = "EC" } }),
            "jku" => License(header: new Dictionary<string, object> { ["jku"] = "https://evil.example.test/jwks" }),
            "typ-at+jwt" => License(typ: "at+jwt"),
            "no-kid" => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = LicenseIssuer,
                Audience = LicenseAudience,
                Expires = DateTime.UtcNow.AddHours(1),
                Claims = new Dictionary<string, object> { ["sub"] = "x" },
                SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(licenseKey), SecurityAlgorithms.EcdsaSha256),
            }),
            "exp-out-of-range" => Dated(new() { ["exp"] = 999999999999999L }),
            "iat-out-of-range" => Dated(new() { ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(), ["iat"] = -99999999999L }),
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };

        using var response = await ExchangeAsync(token);

        await ProblemAssert.IsProblemAsync(response, 401, "invalid_grant");
    }

    [Fact]
    public async Task A_missing_token_is_400()
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/api/authentication/licensesystem", json: "{}");

        await ProblemAssert.IsProblemAsync(response, 400, "invalid_request");
    }

    [Fact]
    public async Task Without_a_configured_license_system_the_exchange_is_503_saying_so()
    {
        await using var unconfigured = await LocalHostServer.StartAsync(azurite.ConnectionString);

        using var response = await unconfigured.SendAsync(HttpMethod.Post, "/api/authentication/licensesystem", json: JsonSerializer.Serialize(new { token = License() }));

        var problem = await ProblemAssert.IsProblemAsync(response, 503, "service_unavailable");
        Assert.Contains("LicenseSystem__Issuer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
    }
}
