using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Tests.Http;

[Collection(AzuriteCollection.Name)]
public sealed class MagmaWalkthroughTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Admin_creates_a_key_a_server_logs_in_and_any_JWT_library_verifies_the_token_from_JWKS_alone()
    {
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        var secret = await server.CreateMagmaKeyAsync("server-1");

        using var login = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$"""{"magmaName":"server-1","secret":"{{secret}}"}""");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("no-store", login.Headers.CacheControl?.ToString());
        var body = await login.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Bearer", body.GetProperty("tokenType").GetString());
        Assert.Equal(3600, body.GetProperty("expiresIn").GetInt32());
        var accessToken = body.GetProperty("accessToken").GetString()!;
        var expiresAt = body.GetProperty("expiresAt").GetString()!;
        Assert.EndsWith("Z", expiresAt, StringComparison.Ordinal);

        // The independent path: only the JWKS document and a standard library.
        using var jwksResponse = await server.Client.GetAsync("/.well-known/jwks.json", Ct);
        var jwks = new JsonWebKeySet(await jwksResponse.Content.ReadAsStringAsync(Ct));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(accessToken, new TokenValidationParameters
        {
            ValidIssuer = "http://127.0.0.1:7071",
            ValidAudience = "authfunctions",
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = ["ES256"],
            ValidTypes = ["at+jwt"],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("magma:server-1", jwt.Subject);
        Assert.Equal(["data", "index"], jwt.GetPayloadValue<List<string>>("rights"));
        Assert.Equal("magma", jwt.GetPayloadValue<string>("grant"));
        Assert.Equal(DateTimeOffset.Parse(expiresAt, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds(), jwt.GetPayloadValue<long>("exp"));

        using var details = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", bearer: accessToken);
        Assert.Equal(HttpStatusCode.OK, details.StatusCode);
        var info = await details.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(info.GetProperty("active").GetBoolean());
        Assert.Equal("magma:server-1", info.GetProperty("sub").GetString());
        Assert.Equal(jwt.Id, info.GetProperty("jti").GetString());
        Assert.Equal("magma", info.GetProperty("grant").GetString());
        Assert.Equal("server-1", info.GetProperty("client_id").GetString());
        Assert.Equal(jwt.GetPayloadValue<long>("exp"), info.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task A_deleted_key_cannot_log_in_any_more()
    {
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        var secret = await server.CreateMagmaKeyAsync("short-lived");
        var admin = await server.AdminTokenAsync();

        using var deleted = await server.SendAsync(HttpMethod.Delete, "/admin/magma-keys/short-lived", admin);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var login = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$"""{"magmaName":"short-lived","secret":"{{secret}}"}""");
        await ProblemAssert.IsProblemAsync(login, 401, "invalid_client");
        using var again = await server.SendAsync(HttpMethod.Delete, "/admin/magma-keys/short-lived", admin);
        await ProblemAssert.IsProblemAsync(again, 404, "not_found");
    }

    [Fact]
    public async Task A_wrong_secret_and_an_unknown_key_get_the_same_401()
    {
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        var secret = await server.CreateMagmaKeyAsync("server-2");

        using var wrong = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$"""{"magmaName":"server-2","secret":"{{secret}}x"}""");
        using var unknown = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$"""{"magmaName":"nobody","secret":"{{secret}}"}""");

        var first = await ProblemAssert.IsProblemAsync(wrong, 401, "invalid_client");
        var second = await ProblemAssert.IsProblemAsync(unknown, 401, "invalid_client");
        Assert.Equal(first.GetProperty("detail").GetString(), second.GetProperty("detail").GetString());
        Assert.Equal(wrong.Headers.WwwAuthenticate.ToString(), unknown.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain(secret, await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_realm_key_gets_the_tenant_and_the_delegated_login_acts_for_a_user()
    {
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        var secret = await server.CreateMagmaKeyAsync("trusted", "[\"data\",\"modify\",\"authenticate\"]", tenantId: "demo");

        using var login = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$$"""
            {"magmaName":"trusted","secret":"{{{secret}}}","user":{"id":"u-42","name":"Ann","email":"ann@example.test","organisationName":"Acme","allowData":true}}
            """);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var jwt = new JsonWebToken((await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString());
        Assert.Equal("delegated:trusted:u-42", jwt.Subject);
        Assert.Equal("delegated", jwt.GetPayloadValue<string>("grant"));
        Assert.Equal("demo", jwt.GetPayloadValue<string>("tid"));
        Assert.Equal(["data"], jwt.GetPayloadValue<List<string>>("rights"));
        Assert.Equal("Acme", jwt.GetPayloadValue<string>("org"));
        Assert.Contains("\"act\":{\"sub\":\"magma:trusted\"}", Base64UrlEncoder.Decode(jwt.EncodedPayload), StringComparison.Ordinal);

        using var tooMuch = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$$"""
            {"magmaName":"trusted","secret":"{{{secret}}}","user":{"id":"u-42","name":"Ann","allowStatistics":true}}
            """);
        var problem = await ProblemAssert.IsProblemAsync(tooMuch, 403, "access_denied");
        Assert.Contains("statistics", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var noName = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$$"""
            {"magmaName":"trusted","secret":"{{{secret}}}","user":{"id":"u-42"}}
            """);
        await ProblemAssert.IsProblemAsync(noName, 400, "invalid_request");
    }

    [Fact]
    public async Task Secrets_passwords_and_tokens_never_reach_a_log_line()
    {
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        var secret = await server.CreateMagmaKeyAsync("logged");
        using var login = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$"""{"magmaName":"logged","secret":"{{secret}}"}""");
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString()!;
        using var wrong = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$"""{"magmaName":"logged","secret":"{{secret}}-wrong"}""");
        using var details = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", bearer: token);

        var lines = server.Logs.GetSnapshot().Select(r => r.Message + " " + r.Exception).ToList();

        Assert.NotEmpty(lines);
        Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(LocalHostServer.AdminPassword, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(token.Split('.')[2], StringComparison.Ordinal));
    }
}
