using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthFunctions.FunctionApp;
using AuthFunctions.Http.Routing;
using AuthFunctions.Tests.Http;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AuthFunctions.Tests.FunctionApp;

/// <summary>
/// Each function, called directly with an ASP.NET Core request and the Function app's own
/// registrations, answers as the local host does over real HTTP for the same request.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FunctionEquivalenceTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private LocalHostServer server = null!;
    private ServiceProvider functionServices = null!;

    public async ValueTask InitializeAsync()
    {
        server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = server.TablePrefix,
            ["Keys:Store"] = "DevelopmentTable",
        }).Build();
        functionServices = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddAuthFunctionApp()
            .BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await functionServices.DisposeAsync();
        await server.DisposeAsync();
    }

    /// <summary>The function of the catalog called <paramref name="name"/>, found by reflection from its entry point.</summary>
    private static Func<HttpRequest, Task<IResult>> Function(string name)
    {
        var entryPoint = FunctionCatalogTests.HttpCatalog().Single(f => f.Name == name).EntryPoint;
        var typeName = entryPoint[..entryPoint.LastIndexOf('.')];
        var type = typeof(FunctionAppHost).Assembly.GetType(typeName, throwOnError: true)!;
        var run = type.GetMethod(entryPoint[(entryPoint.LastIndexOf('.') + 1)..])!;
        var instance = Activator.CreateInstance(type);
        return request => (Task<IResult>)run.Invoke(instance, [request])!;
    }

    [Fact]
    public void Every_function_of_the_catalog_is_covered_here()
    {
        var covered = Requests().Select(row => row.Data.Item1).Distinct().Order();

        Assert.Equal(FunctionCatalogTests.HttpCatalog().Select(f => f.Name).Order(), covered);
    }

    public static TheoryData<string> HostOrders() => ["host", "reverse"];

    /// <summary>
    /// Replays the Functions host over functions.metadata (<see cref="HostRulesTests"/>): functions in its
    /// order, the first whose route template matches is invoked. For every route of the table and every
    /// method, the invoked function must hand the request to the route's own handler (or to the 404/405
    /// fallback when the table has no route for that method). In the host's order that function is the
    /// one of the route's template; reversed, the catch-all comes first and takes every request, and the
    /// answer must still not change: which function runs never decides which handler answers.
    /// </summary>
    [Theory]
    [MemberData(nameof(HostOrders))]
    public async Task Whichever_function_the_host_invokes_the_request_reaches_its_own_handler(string order)
    {
        var functions = HostRulesTests.HostOrder().ToList();
        if (order == "reverse")
        {
            functions.Reverse();
        }

        var misrouted = new List<string>();
        var otherTemplates = 0;
        foreach (var route in RouteTable.All)
        {
            var path = HostRulesTests.SamplePath(route);
            foreach (var method in HostRulesTests.Methods)
            {
                var expected = RouteTable.All.SingleOrDefault(r => r.Method == method && r.Template == route.Template)?.Name ?? RouteTable.FallbackName;
                var invoked = HostRulesTests.Invoked(functions, method, path)!;
                otherTemplates += invoked.Route != route.Pattern ? 1 : 0;

                var (context, _) = NewContext(method, path, authorization: null, body: null);
                await using var scope = functionServices.CreateAsyncScope();
                context.RequestServices = scope.ServiceProvider;
                var result = await Function(invoked.Name)(context.Request);
                await result.ExecuteAsync(context);

                var answered = context.Items[RouteDispatcher.AnsweringRouteKey] as string;
                if (answered != expected)
                {
                    misrouted.Add($"{method} {path}: the host invokes {invoked.Name}, answered by {answered}, expected {expected}");
                }
            }
        }

        Assert.Empty(misrouted);
        Assert.Equal(order == "host" ? 0 : RouteTable.All.Count * HostRulesTests.Methods.Length, otherTemplates);
    }

    public static TheoryData<string, string, string, string?, string?> Requests() => new()
    {
        { "MagmaLogin", "POST", "/api/authentication/magma", null, """{"magmaName":"demo-server","secret":"mk_wrong"}""" },
        { "MagmaLogin", "POST", "/api/authentication/magma", null, """{"magmaName":5}""" },
        { "MagmaLogin", "POST", "/api/authentication/magma", null, "" },
        { "LicenseLogin", "POST", "/api/authentication/licensesystem", null, """{"token":"not.a.jwt"}""" },
        { "LicenseLogin", "POST", "/api/authentication/licensesystem", null, "{}" },
        { "AssertionLogin", "POST", "/api/authentication/assertion", null, """{"assertion":"not.a.jwt"}""" },
        { "AdminAssertionKey", "PUT", "/admin/magma-keys/demo-server/assertion-keys/k1", "ADMIN", """{"kty":"EC","crv":"P-256","d":"secret"}""" },
        { "AdminAssertionKey", "DELETE", "/admin/magma-keys/demo-server/assertion-keys/ghost", "ADMIN", null },
        { "AdminTenants", "POST", "/admin/tenants", "ADMIN", """{"id":"DEMO","name":"Again"}""" },
        { "AdminTenants", "POST", "/admin/tenants", "ADMIN", """{"id":"a/b","name":"Bad"}""" },
        { "PasswordLogin", "GET", "/rs/authorise", null, null },
        { "PasswordLogin", "GET", "/rs/authorise", "Basic YWRtaW46d3Jvbmc=", null },
        { "TokenDetails", "GET", "/api/authentication/token", "ADMIN", null },
        { "TokenDetails", "GET", "/api/authentication/token", "Bearer x.y.z", null },
        { "AdminUsers", "POST", "/admin/users", "ADMIN", """{"username":"w","password":"short","name":"W"}""" },
        { "AdminUsers", "POST", "/admin/users", null, """{"username":"w","password":"long-enough-pass","name":"W"}""" },
        { "AdminMagmaKeys", "POST", "/admin/magma-keys", "ADMIN", """{"name":"k"}""" },
        { "AdminMagmaKeys", "POST", "/admin/magma-keys", "ADMIN", """{"name":"demo-server","rights":["data"]}""" },
        { "AdminMagmaKey", "DELETE", "/admin/magma-keys/ghost", "ADMIN", null },
        { "OpenIdConfiguration", "GET", "/.well-known/openid-configuration", null, null },
        { "OAuthAuthorizationServerMetadata", "GET", "/.well-known/oauth-authorization-server", null, null },
        { "Jwks", "GET", "/.well-known/jwks.json", null, null },
        { "OpenApi", "GET", "/openapi.json", null, null },
        { "Health", "GET", "/health", null, null },
        { "Unmatched", "GET", "/no/such/path", null, null },
        { "Unmatched", "GET", "/api/authentication/magma", null, null },
        { "Unmatched", "PUT", "/admin/magma-keys/some-key", null, null },
        { "MagmaLogin", "GET", "/api/authentication/magma", null, null },
        { "AdminMagmaKey", "PUT", "/admin/magma-keys/some-key", "ADMIN", null },
        { "AdminUsers", "DELETE", "/admin/users", null, null },
        { "AdminMagmaKey", "GET", "/admin/magma-keys/demo-server", "ADMIN", null },
        { "AdminMagmaKey", "GET", "/admin/magma-keys/ghost", "ADMIN", null },
        { "AdminPlugins", "POST", "/admin/plugins", "ADMIN", """{"name":""}""" },
        { "OAuthToken", "POST", "/oauth2/token", null, """{"grant_type":"client_credentials"}""" },
        { "AdminSigningKeys", "GET", "/admin/signing-keys", "ADMIN", null },
        { "AdminUser", "PATCH", "/admin/users/u_ghost", "ADMIN", """{"enabled":false}""" },
        { "AdminUser", "PATCH", "/admin/users/u_ghost", "ADMIN", "{}" },
        { "AdminUser", "DELETE", "/admin/users/u_ghost", "ADMIN", null },
        { "AdminSigningKeyRotation", "POST", "/admin/signing-keys/rotate", null, null },
        { "ApiTokens", "POST", "/rs/tokens", "ADMIN", """{"userId":"u_ghost","expiresAt":"2020-01-01T00:00:00Z"}""" },
        { "ApiTokens", "GET", "/rs/tokens?userId=u_ghost", "ADMIN", null },
        { "ApiTokens", "GET", "/rs/tokens", "ADMIN", null },
        { "ApiToken", "DELETE", "/rs/tokens/ghost", "ADMIN", null },
        { "OAuthToken", "POST", "/oauth2/token", "Basic c3ZjOm1rX3dyb25n", null },
        { "OAuthIntrospect", "POST", "/oauth2/introspect", null, "{}" },
        { "OAuthRevoke", "POST", "/oauth2/revoke", "Basic c3ZjOm1rX3dyb25n", "{}" },
        { "AdminTenantMember", "PUT", "/admin/tenants/demo/members/u_ghost", "ADMIN", """{"role":"admin"}""" },
        { "AdminTenantMember", "PUT", "/admin/tenants/demo/members/u_ghost", "ADMIN", """{"role":"owner"}""" },
        { "AdminTenantMember", "DELETE", "/admin/tenants/demo/members/u_ghost", "ADMIN", null },
        { "AdminTenantMembers", "GET", "/admin/tenants/demo/members", "ADMIN", null },
        { "AdminTenantMembers", "GET", "/admin/tenants/demo/members?continuationToken=forged", "ADMIN", null },
        { "Tenants", "GET", "/tenants", "ADMIN", null },
        { "Tenants", "GET", "/tenants", null, null },
        { "TenantPlugin", "PUT", "/tenants/demo/plugins/p_ghost", "ADMIN", null },
        { "TenantPlugin", "DELETE", "/tenants/demo/plugins/p_ghost", "ADMIN", null },
        { "PluginInstallations", "GET", "/plugins/p_ghost/installations", "Plugin cF9naG9zdDpwbGdfeA==", null },
        { "PluginCatalog", "GET", "/plugins", "ADMIN", null },
        { "PluginCatalog", "GET", "/plugins?limit=1001", "ADMIN", null },
        { "PluginCatalog", "GET", "/plugins", null, null },
        { "TenantPlugins", "GET", "/tenants/demo/plugins", "ADMIN", null },
        { "TenantPlugins", "GET", "/tenants/ghost/plugins", "ADMIN", null },
        { "TenantPlugins", "POST", "/tenants/demo/plugins", "ADMIN", "{}" },
        { "TenantMagmaKeys", "GET", "/tenants/demo/magma-keys", "ADMIN", null },
        { "TenantMagmaKeys", "POST", "/tenants/demo/magma-keys", "ADMIN", """{"name":"k","rights":["administration"]}""" },
        { "TenantMagmaKey", "DELETE", "/tenants/demo/magma-keys/ghost", "ADMIN", null },
        { "AdminUsers", "GET", "/admin/users?username=adm", "ADMIN", null },
        { "AdminUsers", "GET", "/admin/users?limit=0", "ADMIN", null },
        { "AdminMagmaKeys", "GET", "/admin/magma-keys", "ADMIN", null },
        { "AdminMagmaKey", "PATCH", "/admin/magma-keys/ghost", "ADMIN", """{"enabled":false}""" },
        { "AdminMagmaKey", "PATCH", "/admin/magma-keys/demo-server", "ADMIN", "{}" },
        { "AdminTenants", "GET", "/admin/tenants", "ADMIN", null },
        { "AdminPlugins", "GET", "/admin/plugins", "ADMIN", null },
        { "AdminPluginInstallations", "GET", "/admin/plugins/p_ghost/installations", "ADMIN", null },
        { "AdminPlugin", "PATCH", "/admin/plugins/p_ghost", "ADMIN", """{"enabled":false}""" },
        { "AdminPlugin", "PATCH", "/admin/plugins/p_ghost", "ADMIN", "{}" },
        { "AdminPlugin", "DELETE", "/admin/plugins/p_ghost", "ADMIN", null },
        { "AdminPlugin", "GET", "/admin/plugins/p_ghost", "ADMIN", null },
        { "AdminPluginToken", "POST", "/admin/plugins/p_ghost/token", "ADMIN", null },
        { "AdminTenant", "DELETE", "/admin/tenants/ghost", "ADMIN", null },
        { "AdminTenant", "GET", "/admin/tenants/demo", "ADMIN", null },
        { "TenantMembers", "GET", "/tenants/demo/members", "ADMIN", null },
        { "TenantMembers", "GET", "/tenants/ghost/members", "ADMIN", null },
        { "Console", "GET", "/console/", null, null },
        { "Console", "GET", "/console/no-such-file.js", null, null },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task A_function_called_directly_answers_as_the_local_host(string function, string method, string path, string? authorization, string? body)
    {
        if (authorization == "ADMIN")
        {
            authorization = "Bearer " + await server.AdminTokenAsync();
        }

        var expected = await ViaLocalHostAsync(method, path, authorization, body);
        var actual = await DirectlyAsync(Function(function), method, path, authorization, body);

        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.ContentType, actual.ContentType);
        Assert.Equal(expected.Headers, actual.Headers);
        Assert.Equal(expected.Body, actual.Body);
    }

    private async Task<Answer> ViaLocalHostAsync(string method, string path, string? authorization, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var headers = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in ComparedHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
            {
                headers[name] = string.Join(", ", values);
            }
        }

        return new Answer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, headers, Normalize(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
    }

    private async Task<Answer> DirectlyAsync(Func<HttpRequest, Task<IResult>> function, string method, string path, string? authorization, string? body)
    {
        await using var scope = functionServices.CreateAsyncScope();
        var (context, responseBody) = NewContext(method, path, authorization, body);
        context.RequestServices = scope.ServiceProvider;

        var result = await function(context.Request);
        await result.ExecuteAsync(context);

        var headers = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in ComparedHeaders)
        {
            if (context.Response.Headers.TryGetValue(name, out var values))
            {
                headers[name] = string.Join(", ", values.ToArray());
            }
        }

        var contentType = context.Response.ContentType is { } type ? type.Split(';')[0] : null;
        return new Answer(context.Response.StatusCode, contentType, headers, Normalize(Encoding.UTF8.GetString(responseBody.ToArray())));
    }

    private static (DefaultHttpContext Context, MemoryStream ResponseBody) NewContext(string method, string path, string? authorization, string? body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        var query = path.IndexOf('?', StringComparison.Ordinal);
        context.Request.Path = query < 0 ? path : path[..query];
        context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(path[query..]);
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1");
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = "application/json; charset=utf-8";
        }

        var responseBody = new MemoryStream();
        context.Response.Body = responseBody;
        return (context, responseBody);
    }

    private static readonly string[] ComparedHeaders = ["Cache-Control", "WWW-Authenticate", "Allow", "Retry-After", "X-Content-Type-Options"];

    /// <summary>The body as JSON without what differs per request by design: the trace id.</summary>
    private static string Normalize(string body)
    {
        // Not JSON (the console's files): compared byte for byte.
        if (string.IsNullOrEmpty(body) || body[0] is not ('{' or '['))
        {
            return body;
        }

        // A time computed from "now" (e.g. the latest allowed expiry) may fall on either side of a second.
        body = System.Text.RegularExpressions.Regex.Replace(body, @"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "<time>");
        var node = JsonNode.Parse(body)!;
        if (node is JsonObject json)
        {
            json.Remove("traceId");
        }

        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    private sealed record Answer(int Status, string? ContentType, SortedDictionary<string, string> Headers, string Body)
    {
        public bool Equals(Answer? other) => other is not null && Status == other.Status && ContentType == other.ContentType && Headers.SequenceEqual(other.Headers) && Body == other.Body;

        public override int GetHashCode() => Status;
    }
}
