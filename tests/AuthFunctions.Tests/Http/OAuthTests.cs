using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AuthFunctions.Tests.Infrastructure;
using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Tests.Http;

/// <summary><c>/oauth2/token</c>, <c>/oauth2/introspect</c> and <c>/oauth2/revoke</c> over real HTTP, as OAuth clients call them.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class OAuthTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string LicenseIssuer = "https://license.example.test";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ECDsa licenseKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa assertionKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private LocalHostServer server = null!;
    private string issuer = null!;
    private string clientSecret = null!;

    public async ValueTask InitializeAsync()
    {
        // A port of our own, so that the issuer is the address clients reach (discovery checks it).
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            issuer = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
        }

        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(licenseKey.ExportParameters(false))) { KeyId = "lic-1" });
        server = await LocalHostServer.StartAsync(
            azurite.ConnectionString,
            new Dictionary<string, string?>
            {
                ["Auth:Issuer"] = issuer,
                ["LicenseSystem:Issuer"] = LicenseIssuer,
                ["LicenseSystem:Audience"] = "authfunctions",
                ["LicenseSystem:Jwks"] = JsonSerializer.Serialize(new { keys = new[] { new { kty = jwk.Kty, crv = jwk.Crv, x = jwk.X, y = jwk.Y, kid = jwk.Kid, alg = "ES256" } } }),
            },
            configure: builder => builder.WebHost.UseUrls(issuer));
        clientSecret = await server.CreateMagmaKeyAsync("svc", """["data","authenticate","introspect"]""");
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        licenseKey.Dispose();
        assertionKey.Dispose();
    }

    private Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> form, AuthenticationHeaderValue? authorization = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = authorization;
        return server.Client.SendAsync(request, Ct);
    }

    private static AuthenticationHeaderValue Basic(string id, string secret) => TenancyKit.Pair("Basic", id, secret);

    private static Dictionary<string, string> Form(params string[] pairs)
    {
        var form = new Dictionary<string, string>();
        for (var i = 0; i < pairs.Length; i += 2)
        {
            form[pairs[i]] = pairs[i + 1];
        }

        return form;
    }

    private static async Task<JsonElement> OAuthErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var body = await TenancyKit.JsonAsync(response, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error_description").GetString()));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return body;
    }

    private async Task<string> ClientTokenAsync(string client = "svc", string? secret = null)
    {
        using var response = await PostFormAsync("/oauth2/token", Form("grant_type", "client_credentials"), Basic(client, secret ?? clientSecret));
        return (await TenancyKit.JsonAsync(response, HttpStatusCode.OK)).GetProperty("access_token").GetString()!;
    }

    [Fact]
    public async Task A_standard_oauth_client_gets_a_token_by_client_credentials_from_discovery_alone()
    {
        using var http = new HttpClient { BaseAddress = new Uri(issuer) };
        var discovery = await http.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest
        {
            Address = issuer,
            Policy = { RequireHttps = false, RequireKeySet = true },
        }, Ct);
        Assert.False(discovery.IsError, discovery.Error);
        Assert.Equal(issuer + "/oauth2/token", discovery.TokenEndpoint);
        Assert.Equal(issuer + "/oauth2/introspect", discovery.IntrospectionEndpoint);
        Assert.Equal(issuer + "/oauth2/revoke", discovery.RevocationEndpoint);
        Assert.Equal(["client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange", "urn:ietf:params:oauth:grant-type:jwt-bearer"], discovery.GrantTypesSupported);
        Assert.Equal(["client_secret_basic", "client_secret_post"], discovery.TokenEndpointAuthenticationMethodsSupported);

        foreach (var style in new[] { ClientCredentialStyle.AuthorizationHeader, ClientCredentialStyle.PostBody })
        {
            var token = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
            {
                Address = discovery.TokenEndpoint,
                ClientId = "svc",
                ClientSecret = clientSecret,
                ClientCredentialStyle = style,
            }, Ct);
            Assert.False(token.IsError, token.Error);
            Assert.Equal(("Bearer", 3600), (token.TokenType, token.ExpiresIn));
            var jwt = new JsonWebToken(token.AccessToken);
            Assert.Equal(("magma:svc", "client_credentials", "svc"), (jwt.Subject, jwt.GetPayloadValue<string>("grant"), jwt.GetPayloadValue<string>("client_id")));

            var introspection = await http.IntrospectTokenAsync(new TokenIntrospectionRequest
            {
                Address = discovery.IntrospectionEndpoint,
                ClientId = "svc",
                ClientSecret = clientSecret,
                Token = token.AccessToken!,
            }, Ct);
            Assert.False(introspection.IsError, introspection.Error);
            Assert.True(introspection.IsActive);
        }
    }

    [Fact]
    public async Task Token_endpoint_errors_are_rfc_6749_errors()
    {
        using var wrong = await PostFormAsync("/oauth2/token", Form("grant_type", "client_credentials"), Basic("svc", "mk_wrong"));
        await OAuthErrorAsync(wrong, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal("Basic realm=\"AuthFunctions\"", wrong.Headers.WwwAuthenticate.ToString());
        using var none = await PostFormAsync("/oauth2/token", Form("grant_type", "client_credentials"));
        await OAuthErrorAsync(none, HttpStatusCode.Unauthorized, "invalid_client");
        using var unsupported = await PostFormAsync("/oauth2/token", Form("grant_type", "password", "username", "admin", "password", "x"));
        await OAuthErrorAsync(unsupported, HttpStatusCode.BadRequest, "unsupported_grant_type");
        using var missing = await PostFormAsync("/oauth2/token", Form("scope", "data"));
        await OAuthErrorAsync(missing, HttpStatusCode.BadRequest, "invalid_request");
        using var both = await PostFormAsync("/oauth2/token", Form("grant_type", "client_credentials", "client_id", "svc", "client_secret", clientSecret), Basic("svc", clientSecret));
        await OAuthErrorAsync(both, HttpStatusCode.BadRequest, "invalid_request");

        using var inQuery = await server.Client.PostAsync($"/oauth2/token?client_id=svc&client_secret={clientSecret}", new FormUrlEncodedContent(Form("grant_type", "client_credentials")), Ct);
        await OAuthErrorAsync(inQuery, HttpStatusCode.BadRequest, "invalid_request");
        using var json = await server.Client.PostAsync("/oauth2/token", new StringContent("""{"grant_type":"client_credentials"}""", Encoding.UTF8, "application/json"), Ct);
        await OAuthErrorAsync(json, HttpStatusCode.BadRequest, "invalid_request");
        using var twice = await server.Client.PostAsync("/oauth2/token", new StringContent("grant_type=client_credentials&grant_type=client_credentials", Encoding.UTF8, "application/x-www-form-urlencoded"), Ct);
        await OAuthErrorAsync(twice, HttpStatusCode.BadRequest, "invalid_request");
        using var badEncoding = await server.Client.PostAsync("/oauth2/token", new StringContent("grant_type=%zz", Encoding.UTF8, "application/x-www-form-urlencoded"), Ct);
        await OAuthErrorAsync(badEncoding, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_license_token_is_exchanged_by_rfc_8693_and_an_sso_assertion_by_rfc_7523()
    {
        var now = DateTimeOffset.UtcNow;
        var license = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = LicenseIssuer,
            Audience = "authfunctions",
            Expires = now.AddHours(2).UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = "holder-7", ["rights"] = new[] { "data" } },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(licenseKey) { KeyId = "lic-1" }, SecurityAlgorithms.EcdsaSha256),
        });

        using var exchanged = await PostFormAsync("/oauth2/token", Form(
            "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
            "subject_token", license,
            "subject_token_type", "urn:ietf:params:oauth:token-type:jwt"));
        var body = await TenancyKit.JsonAsync(exchanged, HttpStatusCode.OK);
        Assert.Equal("urn:ietf:params:oauth:token-type:access_token", body.GetProperty("issued_token_type").GetString());
        var jwt = new JsonWebToken(body.GetProperty("access_token").GetString());
        Assert.Equal(("license:holder-7", "token_exchange"), (jwt.Subject, jwt.GetPayloadValue<string>("grant")));

        using var forged = await PostFormAsync("/oauth2/token", Form(
            "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
            "subject_token", license[..^4] + "AAAA",
            "subject_token_type", "urn:ietf:params:oauth:token-type:jwt"));
        await OAuthErrorAsync(forged, HttpStatusCode.BadRequest, "invalid_grant");
        using var wrongType = await PostFormAsync("/oauth2/token", Form(
            "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
            "subject_token", license,
            "subject_token_type", "urn:ietf:params:oauth:token-type:saml2"));
        await OAuthErrorAsync(wrongType, HttpStatusCode.BadRequest, "invalid_request");

        var publicJwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(assertionKey.ExportParameters(false))));
        using var registered = await server.SendAsync(HttpMethod.Put, "/admin/magma-keys/svc/assertion-keys/a1", await server.AdminTokenAsync(), JsonSerializer.Serialize(new { kty = publicJwk.Kty, crv = publicJwk.Crv, x = publicJwk.X, y = publicJwk.Y }));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var assertion = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "svc",
            Audience = issuer,
            Expires = now.AddMinutes(4).UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = "u-1", ["name"] = "Una", ["jti"] = Guid.NewGuid().ToString("N"), ["rights"] = new[] { "data" } },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(assertionKey) { KeyId = "a1" }, SecurityAlgorithms.EcdsaSha256),
        });
        using var bearer = await PostFormAsync("/oauth2/token", Form("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", assertion));
        Assert.Equal("delegated:svc:u-1", new JsonWebToken((await TenancyKit.JsonAsync(bearer, HttpStatusCode.OK)).GetProperty("access_token").GetString()).Subject);
        using var replayed = await PostFormAsync("/oauth2/token", Form("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", assertion));
        await OAuthErrorAsync(replayed, HttpStatusCode.BadRequest, "invalid_grant");

        // A client that authenticates may present only its own assertions.
        var otherSecret = await server.CreateMagmaKeyAsync("other-client", """["data"]""");
        using var foreignAssertion = await PostFormAsync(
            "/oauth2/token",
            Form("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", assertion),
            Basic("other-client", otherSecret));
        var refusal = await OAuthErrorAsync(foreignAssertion, HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal("The assertion was not issued by the authenticated client.", refusal.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task Introspection_answers_active_only_for_live_tokens_the_caller_may_see()
    {
        var token = await ClientTokenAsync();
        var auth = Basic("svc", clientSecret);

        using var live = await PostFormAsync("/oauth2/introspect", Form("token", token), auth);
        var details = await TenancyKit.JsonAsync(live, HttpStatusCode.OK);
        Assert.True(details.GetProperty("active").GetBoolean());
        Assert.Equal(("magma:svc", "svc", issuer), (details.GetProperty("sub").GetString(), details.GetProperty("client_id").GetString(), details.GetProperty("iss").GetString()));
        Assert.Equal("no-store", live.Headers.CacheControl?.ToString());

        foreach (var dead in new[] { "garbage", token[..^2] + "AA", string.Concat(Enumerable.Repeat("a", 20_000)) })
        {
            using var response = await PostFormAsync("/oauth2/introspect", Form("token", dead), auth);
            Assert.Equal("""{"active":false}""", await response.Content.ReadAsStringAsync(Ct));
        }

        using var anonymous = await PostFormAsync("/oauth2/introspect", Form("token", token));
        await OAuthErrorAsync(anonymous, HttpStatusCode.Unauthorized, "invalid_client");
        using var bearerInstead = await PostFormAsync("/oauth2/introspect", Form("token", token), new AuthenticationHeaderValue("Bearer", token));
        await OAuthErrorAsync(bearerInstead, HttpStatusCode.Unauthorized, "invalid_client");

        // The token's checks start before the client's key is read; the answer still goes by the client first.
        using var wrongSecret = await PostFormAsync("/oauth2/introspect", Form("token", token), Basic("svc", clientSecret[..^2] + "xx"));
        await OAuthErrorAsync(wrongSecret, HttpStatusCode.Unauthorized, "invalid_client");
        using var wrongSecretNoToken = await PostFormAsync("/oauth2/introspect", Form("token_type_hint", "access_token"), Basic("svc", clientSecret[..^2] + "xx"));
        await OAuthErrorAsync(wrongSecretNoToken, HttpStatusCode.Unauthorized, "invalid_client");
        using var noToken = await PostFormAsync("/oauth2/introspect", Form("token_type_hint", "access_token"), auth);
        await OAuthErrorAsync(noToken, HttpStatusCode.BadRequest, "invalid_request");

        // A realm key sees the tokens of its own tenant only.
        await new TenancyKit(server, await server.AdminTokenAsync()).CreateTenantAsync("acme");
        var realmSecret = await server.CreateMagmaKeyAsync("acme-rs", """["data","introspect"]""", tenantId: "acme");
        using var foreign = await PostFormAsync("/oauth2/introspect", Form("token", token), Basic("acme-rs", realmSecret));
        Assert.Equal("""{"active":false}""", await foreign.Content.ReadAsStringAsync(Ct));
        var own = await ClientTokenAsync("acme-rs", realmSecret);
        using var ownTenant = await PostFormAsync("/oauth2/introspect", Form("token", own), Basic("acme-rs", realmSecret));
        Assert.Equal("acme", (await TenancyKit.JsonAsync(ownTenant, HttpStatusCode.OK)).GetProperty("tid").GetString());
    }

    [Fact]
    public async Task A_key_without_the_introspect_right_learns_nothing_about_any_token()
    {
        var token = await ClientTokenAsync();
        var plainSecret = await server.CreateMagmaKeyAsync("plain-client", """["data","index","authenticate"]""");

        using var live = await PostFormAsync("/oauth2/introspect", Form("token", token), Basic("plain-client", plainSecret));
        using var garbage = await PostFormAsync("/oauth2/introspect", Form("token", "garbage"), Basic("plain-client", plainSecret));

        var refusal = await OAuthErrorAsync(live, HttpStatusCode.Forbidden, "unauthorized_client");
        Assert.Contains("'introspect'", refusal.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Equal(await live.Content.ReadAsStringAsync(Ct), await garbage.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Forbidden, garbage.StatusCode);

        // A key of ours holding administration may introspect without the right of its own.
        var adminSecret = await server.CreateMagmaKeyAsync("ops-client", """["administration"]""");
        using var byAdministrator = await PostFormAsync("/oauth2/introspect", Form("token", token), Basic("ops-client", adminSecret));
        Assert.True((await TenancyKit.JsonAsync(byAdministrator, HttpStatusCode.OK)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task A_revoked_token_is_refused_by_our_endpoints_and_inactive_at_introspection()
    {
        var token = await ClientTokenAsync();
        var auth = Basic("svc", clientSecret);

        using var revoked = await PostFormAsync("/oauth2/revoke", Form("token", token, "token_type_hint", "access_token"), auth);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);

        using var details = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", token);
        await ProblemAssert.IsProblemAsync(details, 401, "invalid_token");
        using var introspected = await PostFormAsync("/oauth2/introspect", Form("token", token), auth);
        Assert.Equal("""{"active":false}""", await introspected.Content.ReadAsStringAsync(Ct));
        using var again = await PostFormAsync("/oauth2/revoke", Form("token", token), auth);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        using var unknown = await PostFormAsync("/oauth2/revoke", Form("token", "not-a-token-at-all"), auth);
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        using var anonymous = await PostFormAsync("/oauth2/revoke", Form("token", token));
        await OAuthErrorAsync(anonymous, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task A_client_revokes_only_its_own_tokens_and_an_administrator_any()
    {
        var otherSecret = await server.CreateMagmaKeyAsync("other", """["data"]""");
        var svcToken = await ClientTokenAsync();

        using var refused = await PostFormAsync("/oauth2/revoke", Form("token", svcToken), Basic("other", otherSecret));
        await OAuthErrorAsync(refused, HttpStatusCode.BadRequest, "unauthorized_client");
        using var stillLive = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", svcToken);
        Assert.Equal(HttpStatusCode.OK, stillLive.StatusCode);

        // A realm key cannot even learn that another tenant's token is live: 200, and nothing revoked.
        await new TenancyKit(server, await server.AdminTokenAsync()).CreateTenantAsync("acme");
        var realmSecret = await server.CreateMagmaKeyAsync("acme-rs", """["data","introspect"]""", tenantId: "acme");
        using var hidden = await PostFormAsync("/oauth2/revoke", Form("token", svcToken), Basic("acme-rs", realmSecret));
        Assert.Equal(HttpStatusCode.OK, hidden.StatusCode);
        using var stillLiveAgain = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", svcToken);
        Assert.Equal(HttpStatusCode.OK, stillLiveAgain.StatusCode);

        var adminSecret = await server.CreateMagmaKeyAsync("ops", """["administration"]""");
        var userToken = await server.AdminTokenAsync();
        using var byAdmin = await PostFormAsync("/oauth2/revoke", Form("client_id", "ops", "client_secret", adminSecret, "token", userToken));
        Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
        using var dead = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", userToken);
        await ProblemAssert.IsProblemAsync(dead, 401, "invalid_token");
    }
}
