using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthFunctions.LocalHost.Development;
using AuthFunctions.Samples.ResourceApi;
using AuthFunctions.Tests.Http;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AuthFunctions.Tests.Samples;

/// <summary>
/// samples/ResourceApi, configured with our Authority alone, accepts a token of every login kind, maps
/// <c>rights</c> to its policies and <c>tid</c> to its tenant filter, and refuses what is not ours.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ResourceApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string keyFolder = Path.Combine(Path.GetTempPath(), "authfn-resource-" + Guid.NewGuid().ToString("N")[..12]);
    private LocalHostServer server = null!;
    private WebApplication api = null!;
    private HttpClient client = null!;
    private TenancyKit kit = null!;

    public async ValueTask InitializeAsync()
    {
        // Our issuer is the URL we listen on, as ./run.sh has it: the sample finds everything from there.
        var url = $"http://127.0.0.1:{AzuriteFixture.FreePort()}";
        server = await LocalHostServer.StartAsync(
            azurite.ConnectionString,
            new Dictionary<string, string?> { ["Auth:Issuer"] = url, ["DevelopmentKeys:Folder"] = keyFolder },
            configure: builder => builder.WebHost.UseUrls(url));
        kit = new TenancyKit(server, await server.AdminTokenAsync());

        api = ResourceApiApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AuthFunctions:Authority"] = url });
        });
        await api.StartAsync(Ct);
        client = new HttpClient { BaseAddress = new Uri(api.Urls.Single()) };
    }

    public async ValueTask DisposeAsync()
    {
        client?.Dispose();
        if (api is not null)
        {
            await api.StopAsync(CancellationToken.None);
            await api.DisposeAsync();
        }

        if (server is not null)
        {
            await server.DisposeAsync();
        }

        if (Directory.Exists(keyFolder))
        {
            Directory.Delete(keyFolder, recursive: true);
        }
    }

    [Fact]
    public async Task A_token_of_every_login_kind_is_accepted_with_its_subject_tenant_and_rights()
    {
        await kit.CreateTenantAsync("acme");
        var tokens = new Dictionary<string, string>
        {
            ["magma"] = await kit.MagmaTokenAsync("server", await server.CreateMagmaKeyAsync("server", """["data","index"]""")),
            ["realm"] = await kit.MagmaTokenAsync("acme-chat", await server.CreateMagmaKeyAsync("acme-chat", """["data"]""", "acme")),
            ["delegated"] = await DelegatedAsync(),
            ["password"] = await kit.LoginAsync(await UserAsync("ann")),
            ["tenant password"] = await kit.LoginAsync("ann", "acme"),
            ["client credentials"] = await ClientCredentialsAsync(),
            ["license"] = await LicenseAsync(),
            ["assertion"] = await AssertionAsync(),
            ["API token"] = await ApiTokenAsync(),
        };

        var seen = new Dictionary<string, (string Subject, string? Tenant, string Documents)>();
        foreach (var (kind, token) in tokens)
        {
            using var whoAmI = await GetAsync("/whoami", token);
            Assert.True(whoAmI.StatusCode == HttpStatusCode.OK, $"{kind}: {(int)whoAmI.StatusCode} {whoAmI.Headers.WwwAuthenticate}");
            var me = (await whoAmI.Content.ReadFromJsonAsync<WhoAmI>(Ct))!;
            Assert.Contains("data", me.Rights);
            using var documents = await GetAsync("/documents", token);
            var ids = string.Join(",", (await documents.Content.ReadFromJsonAsync<Document[]>(Ct))!.Select(d => d.Id));
            seen[kind] = (me.Subject, me.TenantId, ids);
        }

        Assert.Equal(("magma:server", null, "d4"), seen["magma"]);
        Assert.Equal(("magma:acme-chat", "acme", "d1,d2"), seen["realm"]);
        Assert.Equal(("delegated:sso-server:42", null, "d4"), seen["delegated"]);
        Assert.Equal((null, "d4"), (seen["password"].Tenant, seen["password"].Documents));
        Assert.Equal(("acme", "d1,d2"), (seen["tenant password"].Tenant, seen["tenant password"].Documents));
        Assert.Equal("magma:client", seen["client credentials"].Subject);
        Assert.Equal("license:customer-7", seen["license"].Subject);
        Assert.Equal("delegated:sso-server:ann-sso", seen["assertion"].Subject);
        Assert.Equal(seen["password"].Subject, seen["API token"].Subject);
    }

    [Fact]
    public async Task Rights_are_policies_and_anything_not_our_access_token_is_refused()
    {
        var reader = await kit.MagmaTokenAsync("reader", await server.CreateMagmaKeyAsync("reader", """["data"]"""));
        var indexer = await kit.MagmaTokenAsync("indexer", await server.CreateMagmaKeyAsync("indexer", """["data","index"]"""));
        var license = LicenseToken();

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync("/index/rebuild", reader)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync("/index/rebuild", indexer)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/documents", null)).StatusCode);

        // A license token is a JWT, but not one of ours: another issuer, typ JWT, a key not in our JWKS.
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/whoami", license)).StatusCode);

        // Our header and claims re-signed with another key.
        using var forger = DevelopmentKey.LoadOrCreate(keyFolder, "forger");
        var payload = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(Pad(reader.Split('.')[1].Replace('-', '+').Replace('_', '/')))))!.AsObject();
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/whoami", forger.Sign(payload))).StatusCode);
    }

    private async Task<string> UserAsync(string username)
    {
        var id = await kit.CreateUserAsync(username, """["data"]""");
        await kit.SetMemberAsync("acme", id, "operator");
        return username;
    }

    private async Task<string> DelegatedAsync()
    {
        var secret = await server.CreateMagmaKeyAsync("sso-server", """["data","authenticate"]""");
        using var response = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$$"""{"magmaName":"sso-server","secret":"{{{secret}}}","user":{"id":"42","name":"Ann","allowData":true}}""");
        return (await TenancyKit.JsonAsync(response, HttpStatusCode.OK)).GetProperty("accessToken").GetString()!;
    }

    private async Task<string> ClientCredentialsAsync()
    {
        var secret = await server.CreateMagmaKeyAsync("client", """["data"]""");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/token") { Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]) };
        request.Headers.Authorization = TenancyKit.Pair("Basic", "client", secret);
        using var response = await server.Client.SendAsync(request, Ct);
        return (await TenancyKit.JsonAsync(response, HttpStatusCode.OK)).GetProperty("access_token").GetString()!;
    }

    private string LicenseToken()
    {
        using var key = DevelopmentKey.LoadOrCreate(keyFolder, DevelopmentLicenseSystem.KeyName);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return key.Sign(new JsonObject
        {
            ["iss"] = DevelopmentLicenseSystem.Issuer,
            ["aud"] = DevelopmentLicenseSystem.Audience,
            ["sub"] = "customer-7",
            ["iat"] = now,
            ["exp"] = now + 240,
            ["rights"] = new JsonArray("data"),
        });
    }

    private async Task<string> LicenseAsync()
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/api/authentication/licensesystem", json: JsonSerializer.Serialize(new { token = LicenseToken() }));
        return (await TenancyKit.JsonAsync(response, HttpStatusCode.OK)).GetProperty("accessToken").GetString()!;
    }

    private async Task<string> AssertionAsync()
    {
        using var key = DevelopmentKey.LoadOrCreate(keyFolder, "sso");
        using (var registered = await server.SendAsync(HttpMethod.Put, "/admin/magma-keys/sso-server/assertion-keys/sso", kit.Admin, key.PublicJwk().ToJsonString()))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var assertion = key.Sign(new JsonObject
        {
            ["iss"] = "sso-server",
            ["aud"] = server.Client.BaseAddress!.GetLeftPart(UriPartial.Authority),
            ["sub"] = "ann-sso",
            ["name"] = "Ann",
            ["iat"] = now,
            ["exp"] = now + 240,
            ["jti"] = Guid.NewGuid().ToString(),
            ["rights"] = new JsonArray("data"),
        });
        using var response = await server.SendAsync(HttpMethod.Post, "/api/authentication/assertion", json: JsonSerializer.Serialize(new { assertion }));
        return (await TenancyKit.JsonAsync(response, HttpStatusCode.OK)).GetProperty("accessToken").GetString()!;
    }

    private async Task<string> ApiTokenAsync()
    {
        using var users = await server.SendAsync(HttpMethod.Get, "/admin/users?username=ann", kit.Admin);
        var userId = (await TenancyKit.JsonAsync(users, HttpStatusCode.OK))[0].GetProperty("id").GetString()!;
        var expiresAt = DateTimeOffset.UtcNow.AddDays(1).ToString("O", CultureInfo.InvariantCulture);
        using var response = await server.SendAsync(HttpMethod.Post, "/rs/tokens", kit.Admin, $$"""{"userId":"{{userId}}","expiresAt":"{{expiresAt}}"}""");
        return (await TenancyKit.JsonAsync(response, HttpStatusCode.Created)).GetProperty("accessToken").GetString()!;
    }

    private Task<HttpResponseMessage> GetAsync(string path, string? token) => SendAsync(HttpMethod.Get, path, token);

    private Task<HttpResponseMessage> PostAsync(string path, string token) => SendAsync(HttpMethod.Post, path, token);

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client.SendAsync(request, Ct);
    }

    private static string Pad(string base64) => base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
}
