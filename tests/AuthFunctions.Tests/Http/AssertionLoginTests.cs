using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Tests.Http;

/// <summary>SSO assertions signed by a trusted server's registered key, exchanged at <c>POST /api/authentication/assertion</c>.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AssertionLoginTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string OurIssuer = "http://127.0.0.1:7071";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ECDsa signing = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa otherSigning = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private LocalHostServer server = null!;
    private string admin = null!;

    public async ValueTask InitializeAsync()
    {
        server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        admin = await server.AdminTokenAsync();
        await server.CreateMagmaKeyAsync("ninchat", "[\"data\",\"index\",\"authenticate\"]");
        await server.CreateMagmaKeyAsync("other-server", "[\"data\",\"authenticate\"]");
        using var put = await PutKeyAsync("ninchat", "a1", PublicJwk(signing));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using var putOther = await PutKeyAsync("other-server", "b1", PublicJwk(otherSigning));
        Assert.Equal(HttpStatusCode.Created, putOther.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        signing.Dispose();
        otherSigning.Dispose();
    }

    private static string PublicJwk(ECDsa key)
    {
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(key.ExportParameters(false))));
        return JsonSerializer.Serialize(new { kty = jwk.Kty, crv = jwk.Crv, x = jwk.X, y = jwk.Y });
    }

    private Task<HttpResponseMessage> PutKeyAsync(string magmaName, string kid, string jwk) =>
        server.SendAsync(HttpMethod.Put, $"/admin/magma-keys/{magmaName}/assertion-keys/{kid}", admin, jwk);

    private string Assertion(
        string issuer = "ninchat",
        string audience = OurIssuer,
        string kid = "a1",
        ECDsa? key = null,
        TimeSpan? lifetime = null,
        DateTimeOffset? issuedAt = null,
        string[]? rights = null,
        string? jti = null,
        Dictionary<string, object>? extraClaims = null)
    {
        var iat = issuedAt ?? DateTimeOffset.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            // A date claim given in extraClaims is written as given (the descriptor's would replace it).
            IssuedAt = extraClaims?.ContainsKey("iat") == true ? null : iat.UtcDateTime,
            Expires = extraClaims?.ContainsKey("exp") == true ? null : (iat + (lifetime ?? TimeSpan.FromMinutes(4))).UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "user-9",
                ["jti"] = jti ?? Guid.NewGuid().ToString("N"),
                ["name"] = "Nina",
                ["email"] = "nina@example.test",
                ["org"] = "Ninchat Oy",
                ["rights"] = rights ?? ["data"],
            }.Concat(extraClaims ?? []).ToDictionary(),
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key ?? signing) { KeyId = kid }, SecurityAlgorithms.EcdsaSha256),
        });
    }

    private Task<HttpResponseMessage> ExchangeAsync(string assertion) =>
        server.SendAsync(HttpMethod.Post, "/api/authentication/assertion", json: JsonSerializer.Serialize(new { assertion }));

    [Fact]
    public async Task A_signed_assertion_becomes_a_delegated_token_once_and_only_once()
    {
        var assertion = Assertion();

        using var first = await ExchangeAsync(assertion);
        using var replay = await ExchangeAsync(assertion);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var jwt = new JsonWebToken((await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString());
        Assert.Equal("delegated:ninchat:user-9", jwt.Subject);
        Assert.Equal("delegated", jwt.GetPayloadValue<string>("grant"));
        Assert.Equal(["data"], jwt.GetPayloadValue<List<string>>("rights"));
        Assert.Equal("Nina", jwt.GetPayloadValue<string>("name"));
        Assert.Equal("Ninchat Oy", jwt.GetPayloadValue<string>("org"));
        Assert.Contains("\"act\":{\"sub\":\"magma:ninchat\"}", Base64UrlEncoder.Decode(jwt.EncodedPayload), StringComparison.Ordinal);
        var problem = await ProblemAssert.IsProblemAsync(replay, 401, "invalid_grant");
        Assert.Contains("replay", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    public static TheoryData<string> Refusals() =>
        ["audience", "expired", "too-long-lived", "unknown-kid", "another-keys-kid", "issuer-unknown", "hs256", "not-a-jwt"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Wrong_expired_long_lived_or_foreign_assertions_are_401_invalid_grant(string refusal)
    {
        var assertion = refusal switch
        {
            "audience" => Assertion(audience: "https://someone-else.example"),
            "expired" => Assertion(issuedAt: DateTimeOffset.UtcNow.AddMinutes(-10)),
            "too-long-lived" => Assertion(lifetime: TimeSpan.FromMinutes(10)),
            "unknown-kid" => Assertion(kid: "a9"),
            "another-keys-kid" => Assertion(kid: "b1", key: otherSigning),
            "issuer-unknown" => Assertion(issuer: "nobody"),
            "hs256" => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = "ninchat",
                Audience = OurIssuer,
                Expires = DateTime.UtcNow.AddMinutes(4),
                Claims = new Dictionary<string, object> { ["sub"] = "u", ["jti"] = "j", ["name"] = "N" },
                SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(SHA256.HashData(signing.ExportSubjectPublicKeyInfo())) { KeyId = "a1" }, SecurityAlgorithms.HmacSha256),
            }),
            "not-a-jwt" => "not a jwt",
            _ => throw new ArgumentOutOfRangeException(nameof(refusal)),
        };

        using var response = await ExchangeAsync(assertion);

        await ProblemAssert.IsProblemAsync(response, 401, "invalid_grant");
    }

    public static TheoryData<string> UnverifiedRefusals() =>
        ["key-without-authenticate", "missing-key", "unknown-kid", "another-keys-kid", "not-a-jwt", "iat-out-of-range", "exp-out-of-range", "wrong-signature"];

    [Theory]
    [MemberData(nameof(UnverifiedRefusals))]
    public async Task Every_refusal_before_the_signature_is_verified_gets_one_answer(string refusal)
    {
        await server.CreateMagmaKeyAsync("plain-server", "[\"data\"]");
        var assertion = refusal switch
        {
            "key-without-authenticate" => Assertion(issuer: "plain-server"),
            "missing-key" => Assertion(issuer: "nobody"),
            "unknown-kid" => Assertion(kid: "a9"),
            "another-keys-kid" => Assertion(kid: "b1", key: otherSigning),
            "not-a-jwt" => "not a jwt",
            "iat-out-of-range" => Assertion(extraClaims: new() { ["iat"] = -99999999999L }),
            "exp-out-of-range" => Assertion(extraClaims: new() { ["exp"] = 999999999999999L }),
            "wrong-signature" => Assertion(key: otherSigning),
            _ => throw new ArgumentOutOfRangeException(nameof(refusal)),
        };

        using var response = await ExchangeAsync(assertion);

        var problem = await ProblemAssert.IsProblemAsync(response, 401, "invalid_grant");
        Assert.Equal(AuthFunctions.Core.MagmaKeys.AssertionLogin.NotVerified.Detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_future_iat_does_not_stretch_the_five_minute_cap()
    {
        // exp − iat is 4 minutes, but exp is 30 days away: the cap is on the clock.
        var assertion = Assertion(issuedAt: DateTimeOffset.UtcNow.AddDays(30).AddMinutes(-4));

        using var response = await ExchangeAsync(assertion);

        var problem = await ProblemAssert.IsProblemAsync(response, 401, "invalid_grant");
        Assert.Equal("The token is issued in the future.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("NINCHAT")]
    [InlineData("Ｎinchat")]
    public async Task The_issuer_names_its_key_as_a_login_does_NFKC_and_any_case(string issuer)
    {
        using var response = await ExchangeAsync(Assertion(issuer: issuer));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var jwt = new JsonWebToken((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString());
        Assert.Equal("delegated:ninchat:user-9", jwt.Subject);
    }

    private async Task CreateTenantAsync(string id)
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/admin/tenants", admin, $$"""{"id":"{{id}}","name":"{{id}}"}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<JsonElement> AssertionKeysOfAsync(string keyName)
    {
        using var described = await server.SendAsync(HttpMethod.Get, $"/admin/magma-keys/{keyName}", admin);
        Assert.Equal(HttpStatusCode.OK, described.StatusCode);
        return (await described.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("assertionKeys");
    }

    [Fact]
    public async Task Deleting_a_key_removes_its_assertion_keys_and_a_reused_name_in_another_tenant_inherits_none()
    {
        await CreateTenantAsync("tenant-a");
        await CreateTenantAsync("tenant-b");
        await server.CreateMagmaKeyAsync("shared-name", "[\"data\",\"authenticate\"]", "tenant-a");
        using (var put = await PutKeyAsync("shared-name", "ka1", PublicJwk(signing)))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        using (var deleted = await server.SendAsync(HttpMethod.Delete, "/admin/magma-keys/shared-name", admin))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var rows = new global::Azure.Data.Tables.TableClient(azurite.ConnectionString, server.TablePrefix + "assertionkeys");
        Assert.Empty(await rows.QueryAsync<global::Azure.Data.Tables.TableEntity>(e => e.PartitionKey == "shared-name", cancellationToken: Ct).ToListAsync(Ct));

        await server.CreateMagmaKeyAsync("Shared-Name", "[\"data\",\"authenticate\"]", "tenant-b");
        Assert.Equal(0, (await AssertionKeysOfAsync("shared-name")).GetArrayLength());
        using var response = await ExchangeAsync(Assertion(issuer: "Shared-Name", kid: "ka1"));
        var problem = await ProblemAssert.IsProblemAsync(response, 401, "invalid_grant");
        Assert.Equal(AuthFunctions.Core.MagmaKeys.AssertionLogin.NotVerified.Detail, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(null, -1, false)]
    [InlineData(null, +1, true)]
    [InlineData(-1, +1, false)]
    [InlineData(0, +1, true)]
    public async Task An_assertion_key_serves_only_the_key_version_it_was_registered_on(int? boundToKeyCreatedPlusMinutes, int minutesAfterKeyCreation, bool serves)
    {
        // Bound: KeyCreatedAt names the key's version, and only that version is served (-1: an earlier key
        // of the same name). Unbound (a row stored before the binding existed): one dated before the key's
        // creation can only be a leftover of an earlier key of the same name.
        await server.CreateMagmaKeyAsync("legacy-server", "[\"data\",\"authenticate\"]");
        var keyRow = (await new global::Azure.Data.Tables.TableClient(azurite.ConnectionString, server.TablePrefix + "magmakeys")
            .QueryAsync<global::Azure.Data.Tables.TableEntity>(e => e.PartitionKey == "legacy-server", cancellationToken: Ct).ToListAsync(Ct)).Single();
        var keyCreatedAt = keyRow.GetDateTimeOffset("CreatedAt")!.Value;
        var rows = new global::Azure.Data.Tables.TableClient(azurite.ConnectionString, server.TablePrefix + "assertionkeys");
        await rows.AddEntityAsync(
            new global::Azure.Data.Tables.TableEntity("legacy-server", "old1")
            {
                ["KeyName"] = "legacy-server",
                ["Jwk"] = PublicJwk(signing),
                ["CreatedAt"] = keyCreatedAt.AddMinutes(minutesAfterKeyCreation),
                ["KeyCreatedAt"] = boundToKeyCreatedPlusMinutes is { } bound ? keyCreatedAt.AddMinutes(bound) : null,
            },
            Ct);

        using var response = await ExchangeAsync(Assertion(issuer: "legacy-server", kid: "old1"));

        Assert.Equal(serves ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(serves ? 1 : 0, (await AssertionKeysOfAsync("legacy-server")).GetArrayLength());
    }

    [Fact]
    public async Task The_delegated_rules_hold_rights_within_the_key_and_never_authenticate()
    {
        using var beyond = await ExchangeAsync(Assertion(rights: ["modify"]));
        using var authenticate = await ExchangeAsync(Assertion(rights: ["authenticate"]));

        await ProblemAssert.IsProblemAsync(beyond, 403, "access_denied");
        await ProblemAssert.IsProblemAsync(authenticate, 403, "access_denied");
    }

    [Fact]
    public async Task Removing_the_assertion_key_or_deleting_the_magma_key_ends_its_assertions()
    {
        await server.CreateMagmaKeyAsync("short-lived", "[\"data\",\"authenticate\"]");
        using (var put = await PutKeyAsync("short-lived", "s1", PublicJwk(signing)))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        using (var replaced = await PutKeyAsync("short-lived", "s1", PublicJwk(signing)))
        {
            Assert.Equal(HttpStatusCode.NoContent, replaced.StatusCode);
        }

        using (var works = await ExchangeAsync(Assertion(issuer: "short-lived", kid: "s1")))
        {
            Assert.Equal(HttpStatusCode.OK, works.StatusCode);
        }

        using (var removed = await server.SendAsync(HttpMethod.Delete, "/admin/magma-keys/short-lived/assertion-keys/s1", admin))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        using (var afterRemoval = await ExchangeAsync(Assertion(issuer: "short-lived", kid: "s1")))
        {
            await ProblemAssert.IsProblemAsync(afterRemoval, 401, "invalid_grant");
        }

        using (var deleted = await server.SendAsync(HttpMethod.Delete, "/admin/magma-keys/ninchat", admin))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using var afterDeletion = await ExchangeAsync(Assertion());
        await ProblemAssert.IsProblemAsync(afterDeletion, 401, "invalid_grant");
    }

    public static TheoryData<string, string> UnsoundRsaKeys()
    {
        using var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(false);
        var n = Base64UrlEncoder.Encode(parameters.Modulus);
        return new()
        {
            { JsonSerializer.Serialize(new { kty = "RSA", n, e = "AQ" }), "public exponent (e) must be 65537" },
            { JsonSerializer.Serialize(new { kty = "RSA", n, e = "AQAB", x5c = new[] { "MIIB" } }), "without certificates or links" },
        };
    }

    [Theory]
    [MemberData(nameof(UnsoundRsaKeys))]
    public async Task An_RSA_key_with_e_1_or_a_certificate_chain_is_refused_naming_the_rule_and_nothing_is_stored(string jwk, string rule)
    {
        using var response = await PutKeyAsync("ninchat", "r1", jwk);

        var problem = await ProblemAssert.IsProblemAsync(response, 400, "invalid_request");
        Assert.Contains(rule, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var described = await server.SendAsync(HttpMethod.Get, "/admin/magma-keys/ninchat", admin);
        Assert.DoesNotContain("\"r1\"", await described.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ninchat", "k2", """{"kty":"EC","crv":"P-256","x":"X","y":"Y","d":"private"}""", 400, "private key material")]
    [InlineData("ninchat", "k3", """{"kty":"oct","k":"c2VjcmV0"}""", 400, "private key material")]
    [InlineData("ninchat", "k4", """{"kty":"EC","crv":"P-384","x":"AA","y":"AA"}""", 400, "not a public JWK")]
    [InlineData("ninchat", "k5", """{"kty":"EC","crv":"P-256","x":"X","y":"Y","kid":"other"}""", 400, "kid differs")]
    [InlineData("ghost", "k6", """{"kty":"EC","crv":"P-256","x":"X","y":"Y"}""", 404, "no magma key")]
    public async Task Only_public_keys_of_a_supported_kind_are_registered_on_existing_keys(string magmaName, string kid, string jwk, int status, string detail)
    {
        var body = jwk.Replace("\"X\"", $"\"{JsonDocument.Parse(PublicJwk(signing)).RootElement.GetProperty("x").GetString()}\"", StringComparison.Ordinal)
            .Replace("\"Y\"", $"\"{JsonDocument.Parse(PublicJwk(signing)).RootElement.GetProperty("y").GetString()}\"", StringComparison.Ordinal);

        using var response = await PutKeyAsync(magmaName, kid, body);

        var problem = await ProblemAssert.IsProblemAsync(response, status, status == 404 ? "not_found" : "invalid_request");
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disabled_magma_key_signs_no_assertion()
    {
        var keys = new global::Azure.Data.Tables.TableClient(azurite.ConnectionString, server.TablePrefix + "magmakeys");
        var row = (await keys.GetEntityAsync<global::Azure.Data.Tables.TableEntity>("ninchat", string.Empty, cancellationToken: Ct)).Value;
        row["Enabled"] = false;
        await keys.UpdateEntityAsync(row, row.ETag, cancellationToken: Ct);

        using var response = await ExchangeAsync(Assertion());

        await ProblemAssert.IsProblemAsync(response, 401, "invalid_grant");
    }

    [Fact]
    public async Task The_keys_metadata_lists_its_assertion_keys_and_never_its_secret()
    {
        using var response = await server.SendAsync(HttpMethod.Get, "/admin/magma-keys/NINCHAT", admin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var key = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("ninchat", key.GetProperty("name").GetString());
        Assert.Equal(["data", "index", "authenticate"], key.GetProperty("rights").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["a1"], key.GetProperty("assertionKeys").EnumerateArray().Select(a => a.GetProperty("kid").GetString()));
        Assert.True(key.GetProperty("enabled").GetBoolean());
        Assert.Equal(
            ["assertionKeys", "createdAt", "enabled", "name", "rights"],
            key.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_key_without_authenticate_may_not_hold_assertion_keys()
    {
        await server.CreateMagmaKeyAsync("plain", "[\"data\"]");

        using var response = await PutKeyAsync("plain", "p1", PublicJwk(signing));

        var problem = await ProblemAssert.IsProblemAsync(response, 400, "invalid_request");
        Assert.Contains("'authenticate'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
