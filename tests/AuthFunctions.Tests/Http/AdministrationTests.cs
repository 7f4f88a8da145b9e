using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using System.Net.Http.Json;
using System.Text.Json;
using AuthFunctions.Core.Principals;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Routing;
using AuthFunctions.Tests.Infrastructure;

namespace AuthFunctions.Tests.Http;

[Collection(AzuriteCollection.Name)]
public sealed class AdministrationTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private LocalHostServer server = null!;
    private string admin = null!;

    public async ValueTask InitializeAsync()
    {
        server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        admin = await server.AdminTokenAsync();
    }

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    /// <summary>Every route of the table under /admin, with a body that would succeed for an administrator.</summary>
    public static TheoryData<string, string, string?> AdminRoutes()
    {
        var bodies = new Dictionary<string, string>
        {
            ["CreateUser"] = """{"username":"u","password":"long-enough-pass","name":"U"}""",
            ["CreateMagmaKey"] = """{"name":"k","rights":[]}""",
            ["CreateTenant"] = """{"id":"t-new","name":"New tenant"}""",
            ["PutAssertionKey"] = """{"kty":"EC","crv":"P-256","x":"x","y":"y"}""",
            ["SetTenantMember"] = """{"role":"admin"}""",
            ["CreatePlugin"] = """{"name":"P"}""",
            ["UpdateUser"] = """{"enabled":true}""",
            ["UpdateMagmaKey"] = """{"enabled":true}""",
            ["UpdatePlugin"] = """{"enabled":true}""",
        };
        var rows = new TheoryData<string, string, string?>();
        foreach (var route in RouteTable.All.Where(r => r.Template.StartsWith("admin/", StringComparison.Ordinal)))
        {
            rows.Add(route.Method, "/" + route.Template.Replace("{name}", "demo-server", StringComparison.Ordinal).Replace("{kid}", "k1", StringComparison.Ordinal), bodies.GetValueOrDefault(route.Name));
        }

        return rows;
    }

    [Fact]
    public void Every_admin_route_declares_bearer_access_with_administration()
    {
        var admin = RouteTable.All.Where(r => r.Template.StartsWith("admin/", StringComparison.Ordinal)).ToList();

        Assert.Equal(AdminRoutes().Count, admin.Count);
        Assert.All(admin, r => Assert.Same(RouteAccess.Administration, r.Access));
        Assert.Equal(Rights.Administration, RouteAccess.Administration.Rights);
    }

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task Admin_endpoints_need_a_bearer_token_with_administration(string method, string path, string? json)
    {
        using var anonymous = await server.SendAsync(new HttpMethod(method), path, json: json);
        await ProblemAssert.IsProblemAsync(anonymous, 401, "invalid_token");
        Assert.Equal("Bearer realm=\"AuthFunctions\"", anonymous.Headers.WwwAuthenticate.ToString());

        var secret = await server.CreateMagmaKeyAsync("not-admin-" + method.ToLowerInvariant(), "[\"data\",\"management\"]");
        using var login = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$"""{"magmaName":"not-admin-{{method.ToLowerInvariant()}}","secret":"{{secret}}"}""");
        var weak = (await login.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("accessToken").GetString();

        using var forbidden = await server.SendAsync(new HttpMethod(method), path, weak, json);
        var problem = await ProblemAssert.IsProblemAsync(forbidden, 403, "access_denied");
        Assert.Contains("administration", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_keys_tokens_stop_working_at_once_on_our_endpoints()
    {
        // The finding: a token of a deleted administration key still created a new admin key (201).
        var secret = await server.CreateMagmaKeyAsync("ops-robot", "[\"administration\",\"authenticate\",\"data\"]");
        var own = await LoginAsync("""{"magmaName":"ops-robot","secret":"SECRET"}""".Replace("SECRET", secret, StringComparison.Ordinal));
        var delegated = await LoginAsync("""{"magmaName":"ops-robot","secret":"SECRET","user":{"id":"7","name":"Seven","allowData":true}}""".Replace("SECRET", secret, StringComparison.Ordinal));
        using (var before = await server.SendAsync(HttpMethod.Post, "/admin/magma-keys", own, """{"name":"made-before","rights":[]}"""))
        {
            Assert.Equal(HttpStatusCode.Created, before.StatusCode);
        }

        using var deleted = await server.SendAsync(HttpMethod.Delete, "/admin/magma-keys/ops-robot", admin);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var create = await server.SendAsync(HttpMethod.Post, "/admin/magma-keys", own, """{"name":"made-after","rights":[]}""");
        await ProblemAssert.IsProblemAsync(create, 401, "invalid_token");
        Assert.Equal("Bearer realm=\"AuthFunctions\", error=\"invalid_token\", error_description=\"The access token has been revoked.\"", create.Headers.WwwAuthenticate.ToString());
        using var ownDetails = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", own);
        await ProblemAssert.IsProblemAsync(ownDetails, 401, "invalid_token");
        using var delegatedDetails = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", delegated);
        await ProblemAssert.IsProblemAsync(delegatedDetails, 401, "invalid_token");
        using var adminStillWorks = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", admin);
        Assert.Equal(HttpStatusCode.OK, adminStillWorks.StatusCode);
        using var nothingMade = await server.SendAsync(HttpMethod.Delete, "/admin/magma-keys/made-after", admin);
        await ProblemAssert.IsProblemAsync(nothingMade, 404, "not_found");
    }

    [Fact]
    public async Task A_keys_token_expires_no_later_than_the_key()
    {
        var expiresAt = DateTimeOffset.UtcNow.AddMinutes(10);
        using var created = await server.SendAsync(HttpMethod.Post, "/admin/magma-keys", admin, $$"""{"name":"ten-minutes","rights":["data"],"expiresAt":"{{expiresAt:O}}"}""");
        var secret = (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("secret").GetString();

        using var login = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$"""{"magmaName":"ten-minutes","secret":"{{secret}}"}""");

        var body = await login.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.InRange(body.GetProperty("expiresIn").GetInt32(), 1, 600);
        Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() <= expiresAt);
    }

    private async Task<string> LoginAsync(string json)
    {
        using var login = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: json);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return (await login.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("accessToken").GetString()!;
    }

    [Fact]
    public async Task A_created_tenant_takes_realm_keys_and_its_id_is_not_taken_twice_in_any_case()
    {
        using var created = await server.SendAsync(HttpMethod.Post, "/admin/tenants", admin, """{"id":"Acme","name":"Acme Ltd"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("""{"id":"Acme","name":"Acme Ltd"}""", await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        using var again = await server.SendAsync(HttpMethod.Post, "/admin/tenants", admin, """{"id":"ACME","name":"Other"}""");
        await ProblemAssert.IsProblemAsync(again, 409, "conflict");
        using var badId = await server.SendAsync(HttpMethod.Post, "/admin/tenants", admin, """{"id":"a/b","name":"Bad"}""");
        await ProblemAssert.IsProblemAsync(badId, 400, "invalid_request");
        using var noName = await server.SendAsync(HttpMethod.Post, "/admin/tenants", admin, """{"id":"nameless"}""");
        await ProblemAssert.IsProblemAsync(noName, 400, "invalid_request");

        var secret = await server.CreateMagmaKeyAsync("acme-realm", tenantId: "acme");
        using var login = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$"""{"magmaName":"acme-realm","secret":"{{secret}}"}""");
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken((await login.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("accessToken").GetString());
        Assert.Equal("Acme", token.GetPayloadValue<string>("tid"));
    }

    [Fact]
    public async Task Creating_a_user_returns_its_id_and_the_user_can_log_in()
    {
        using var created = await server.SendAsync(HttpMethod.Post, "/admin/users", admin, """{"username":"Dana","password":"twelve-chars","name":"Dana D","email":"dana@example.test","rights":["data","statistics"]}""");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetString();
        using var login = await server.PasswordLoginAsync("DANA", "twelve-chars");
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("accessToken").GetString();
        using var details = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", token);
        var info = await details.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(id, info.GetProperty("sub").GetString());
        Assert.Equal("password", info.GetProperty("grant").GetString());
        Assert.Equal("Dana D", info.GetProperty("name").GetString());
        Assert.Equal(["data", "statistics"], info.GetProperty("rights").EnumerateArray().Select(r => r.GetString()));
        Assert.False(info.TryGetProperty("tid", out _));
    }

    [Fact]
    public async Task Usernames_are_unique_without_regard_to_case()
    {
        using var first = await server.SendAsync(HttpMethod.Post, "/admin/users", admin, """{"username":"erin","password":"first-password","name":"Erin"}""");
        using var second = await server.SendAsync(HttpMethod.Post, "/admin/users", admin, """{"username":"ERIN","password":"second-password","name":"Other Erin"}""");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await ProblemAssert.IsProblemAsync(second, 409, "conflict");
        using var login = await server.PasswordLoginAsync("erin", "first-password");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        using var loser = await server.PasswordLoginAsync("erin", "second-password");
        Assert.Equal(HttpStatusCode.Unauthorized, loser.StatusCode);
    }

    [Theory]
    [InlineData("""{"username":"weak","password":"elevenchars","name":"W"}""", "password")]
    [InlineData("""{"username":"a:b","password":"long-enough-pass","name":"W"}""", "username")]
    [InlineData("""{"username":"ok","password":"long-enough-pass"}""", "name")]
    [InlineData("""{"username":"ok","password":"long-enough-pass","name":"N","rights":["root"]}""", "root")]
    [InlineData("""{"username":"ok","password":"long-enough-pass","name":"N","email":"not-an-email"}""", "email")]
    public async Task Bad_user_requests_are_400_naming_the_field_and_create_nothing(string json, string named)
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/admin/users", admin, json);

        var problem = await ProblemAssert.IsProblemAsync(response, 400, "invalid_request");
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var login = await server.PasswordLoginAsync("ok", "long-enough-pass");
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task A_magma_secret_is_shown_once_with_its_prefix_and_a_taken_name_is_409()
    {
        using var created = await server.SendAsync(HttpMethod.Post, "/admin/magma-keys", admin, """{"name":"svc","rights":["data"]}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("no-store", created.Headers.CacheControl?.ToString());
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("svc", body.GetProperty("name").GetString());
        Assert.StartsWith("mk_", body.GetProperty("secret").GetString(), StringComparison.Ordinal);

        using var again = await server.SendAsync(HttpMethod.Post, "/admin/magma-keys", admin, """{"name":"svc","rights":["index"]}""");
        await ProblemAssert.IsProblemAsync(again, 409, "conflict");

        // In storage: the SHA-256 of the secret, never the secret itself.
        var secret = body.GetProperty("secret").GetString()!;
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(server.TablePrefix + "magmakeys");
        var stored = (await table.GetEntityAsync<TableEntity>("svc", string.Empty, cancellationToken: TestContext.Current.CancellationToken)).Value;
        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(secret))), stored.GetString("SecretHash"));
        Assert.DoesNotContain(stored, p => p.Value is string text && text.Contains(secret[3..], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"rights":["data"]}""")]
    [InlineData("""{"name":"k1"}""")]
    [InlineData("""{"name":"k1","rights":["everything"]}""")]
    [InlineData("""{"name":"k1","rights":"data"}""")]
    [InlineData("""{"name":"k1","rights":["data"],"tenantId":"no-such-tenant"}""")]
    [InlineData("""{"name":"k1","rights":["data"],"expiresAt":"2001-01-01T00:00:00Z"}""")]
    [InlineData("""{"name":"k1","rights":["data"],"expiresAt":"tomorrow"}""")]
    [InlineData("""{"name":"bad name","rights":["data"]}""")]
    public async Task Bad_magma_key_requests_are_400_and_create_nothing(string json)
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/admin/magma-keys", admin, json);

        await ProblemAssert.IsProblemAsync(response, 400, "invalid_request");
        using var delete = await server.SendAsync(HttpMethod.Delete, "/admin/magma-keys/k1", admin);
        await ProblemAssert.IsProblemAsync(delete, 404, "not_found");
    }
}

internal static class HttpMethods
{
    public const string Post = "POST";
    public const string Delete = "DELETE";
}
