using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using AuthFunctions.Http.Hosting;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AuthFunctions.Tests.Http;

[Collection(AzuriteCollection.Name)]
public sealed class DiscoveryAndHealthTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Discovery_names_the_issuer_and_jwks_and_both_are_cacheable()
    {
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { ["Auth:Issuer"] = "https://auth.example.test/" });

        using var discovery = await server.Client.GetAsync("/.well-known/openid-configuration", Ct);
        using var jwks = await server.Client.GetAsync("/.well-known/jwks.json", Ct);

        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        var document = await discovery.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("https://auth.example.test/", document.GetProperty("issuer").GetString());
        Assert.Equal("https://auth.example.test/.well-known/jwks.json", document.GetProperty("jwks_uri").GetString());
        Assert.Equal(["ES256", "RS256"], document.GetProperty("access_token_signing_alg_values_supported").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("public, max-age=300", discovery.Headers.CacheControl?.ToString());
        Assert.Equal("public, max-age=300", jwks.Headers.CacheControl?.ToString());
        Assert.Equal("application/jwk-set+json", jwks.Content.Headers.ContentType?.MediaType);
        var keys = (await jwks.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("keys");
        Assert.Equal(1, keys.GetArrayLength());
    }

    [Fact]
    public async Task RFC_8414_metadata_is_the_same_document_and_names_only_endpoints_that_answer()
    {
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { ["Auth:Issuer"] = "https://auth.example.test" });

        using var openId = await server.Client.GetAsync("/.well-known/openid-configuration", Ct);
        using var metadata = await server.Client.GetAsync("/.well-known/oauth-authorization-server", Ct);

        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        Assert.Equal("public, max-age=300", metadata.Headers.CacheControl?.ToString());
        var document = await metadata.Content.ReadAsStringAsync(Ct);
        Assert.Equal(await openId.Content.ReadAsStringAsync(Ct), document);
        var claims = JsonDocument.Parse(document).RootElement;
        Assert.Equal("https://auth.example.test", claims.GetProperty("issuer").GetString());

        // Nothing that is not there: no authorization, user info or registration endpoint, no response type.
        Assert.Empty(claims.GetProperty("response_types_supported").EnumerateArray());
        var endpoints = claims.EnumerateObject().Where(p => p.Name.EndsWith("_endpoint", StringComparison.Ordinal) || p.Name == "jwks_uri").ToList();
        Assert.Equal(["jwks_uri", "token_endpoint", "introspection_endpoint", "revocation_endpoint"], endpoints.Select(p => p.Name));
        foreach (var endpoint in endpoints)
        {
            var path = new Uri(endpoint.Value.GetString()!).AbsolutePath;
            using var request = new HttpRequestMessage(endpoint.Name == "jwks_uri" ? HttpMethod.Get : HttpMethod.Post, path)
            {
                Content = endpoint.Name == "jwks_uri" ? null : new FormUrlEncodedContent([]),
            };
            using var response = await server.Client.SendAsync(request, Ct);
            Assert.True(response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed), $"{endpoint.Name} {path}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Without_a_configured_issuer_the_local_host_names_the_url_it_listens_on()
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString, configure: builder => builder.WebHost.UseUrls(url));

        using var discovery = await server.Client.GetAsync("/.well-known/openid-configuration", Ct);
        var token = await server.AdminTokenAsync();

        Assert.Equal(url + "/", server.Client.BaseAddress!.ToString());
        Assert.Equal(url, (await discovery.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("issuer").GetString());
        Assert.Equal(url, new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Issuer);
    }

    [Theory]
    [InlineData("http://127.0.0.1:7391", "http://127.0.0.1:7391")]
    [InlineData("https://auth.example.test:8443/;http://127.0.0.1:7071", "https://auth.example.test:8443")]
    [InlineData("http://*:8080", "http://localhost:8080")]
    [InlineData("http://+:80;http://0.0.0.0:81", "http://localhost")]
    [InlineData("http://127.0.0.1:0", null)]
    [InlineData("unix:/tmp/socket;ftp://x:21", null)]
    [InlineData(null, null)]
    public void The_issuer_comes_from_the_first_http_url_with_a_known_port(string? urls, string? issuer) =>
        Assert.Equal(issuer, AuthFunctions.LocalHost.LocalHostApp.IssuerFromUrls(urls));

    [Fact]
    public async Task Health_is_200_when_storage_and_the_key_ring_answer()
    {
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString);

        using var response = await server.Client.GetAsync("/health", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"healthy","checks":{"storage":"ok","keyRing":"ok"}}""", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task With_storage_down_health_and_logins_answer_503_problems_never_500()
    {
        var deadPort = FreePort();
        var deadStorage = azurite.ConnectionString.Replace($":{azurite.Port}/", $":{deadPort}/", StringComparison.Ordinal);
        await using var server = await LocalHostServer.StartAsync(deadStorage, configure: builder =>
        {
            // No bootstrap: it would (rightly) stop the start-up when storage is down. Nor the key ring's
            // warm-up, which would only retry against the dead store while the checks below run.
            var bootstrap = builder.Services.Single(d => d.ImplementationType == typeof(BootstrapHostedService));
            builder.Services.Remove(bootstrap);
            builder.Services.Remove(builder.Services.Single(d => d.ImplementationType == typeof(KeyRingWarmUp)));
        });

        using var health = await server.Client.GetAsync("/health", Ct);
        var problem = await ProblemAssert.IsProblemAsync(health, 503, "service_unavailable");
        Assert.Equal(TimeSpan.FromSeconds(5), health.Headers.RetryAfter?.Delta);
        Assert.Equal("unavailable", problem.GetProperty("checks").GetProperty("storage").GetString());
        Assert.Equal("unavailable", problem.GetProperty("checks").GetProperty("keyRing").GetString());

        using var login = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: """{"magmaName":"k","secret":"s"}""");
        await ProblemAssert.IsProblemAsync(login, 503, "service_unavailable");
        Assert.NotNull(login.Headers.RetryAfter);
        using var password = await server.PasswordLoginAsync("admin", "whatever-password");
        await ProblemAssert.IsProblemAsync(password, 503, "service_unavailable");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
