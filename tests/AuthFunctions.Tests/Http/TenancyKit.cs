using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AuthFunctions.Tests.Http;

/// <summary>Sets up tenants, members, plugins and keys over the HTTP API, as an administrator would.</summary>
internal sealed class TenancyKit(LocalHostServer server, string admin)
{
    public const string Password = "a-long-enough-password";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public LocalHostServer Server => server;

    public string Admin => admin;

    public static AuthenticationHeaderValue Pair(string scheme, string id, string token) =>
        new(scheme, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{token}")));

    public static AuthenticationHeaderValue Plugin(string id, string token) => Pair("Plugin", id, token);

    public static AuthenticationHeaderValue Connection(string id, string token) => Pair("PluginConnection", id, token);

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task CreateTenantAsync(string id, string? name = null)
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/admin/tenants", admin, $$"""{"id":"{{id}}","name":"{{name ?? id + " Ltd"}}"}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Creates a user and returns its id.</summary>
    public async Task<string> CreateUserAsync(string username, string rightsJson = """["data","index"]""")
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/admin/users", admin, $$"""{"username":"{{username}}","password":"{{Password}}","name":"{{username}}","rights":{{rightsJson}}}""");
        return (await JsonAsync(response, HttpStatusCode.Created)).GetProperty("id").GetString()!;
    }

    public async Task SetMemberAsync(string tenantId, string userId, string role)
    {
        using var response = await server.SendAsync(HttpMethod.Put, $"/admin/tenants/{tenantId}/members/{userId}", admin, $$"""{"role":"{{role}}"}""");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public async Task RemoveMemberAsync(string tenantId, string userId)
    {
        using var response = await server.SendAsync(HttpMethod.Delete, $"/admin/tenants/{tenantId}/members/{userId}", admin);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary>A user who is a member of <paramref name="tenantId"/> with <paramref name="role"/>; returns (id, token).</summary>
    public async Task<(string Id, string Token)> MemberAsync(string username, string tenantId, string role, string rightsJson = """["data","index"]""")
    {
        var id = await CreateUserAsync(username, rightsJson);
        await SetMemberAsync(tenantId, id, role);
        return (id, await LoginAsync(username));
    }

    public async Task<string> LoginAsync(string username, string? tenant = null)
    {
        using var response = await LoginResponseAsync(username, Password, tenant);
        return (await JsonAsync(response, HttpStatusCode.OK)).GetProperty("accessToken").GetString()!;
    }

    public Task<HttpResponseMessage> LoginResponseAsync(string username, string password, string? tenant)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, tenant is null ? "/rs/authorise" : $"/rs/authorise?tenant={Uri.EscapeDataString(tenant)}");
        request.Headers.Authorization = Pair("Basic", username, password);
        return server.Client.SendAsync(request, Ct);
    }

    public async Task<(string Id, string Token)> CreatePluginAsync(string name)
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/admin/plugins", admin, $$"""{"name":"{{name}}"}""");
        var body = await JsonAsync(response, HttpStatusCode.Created);
        return (body.GetProperty("pluginId").GetString()!, body.GetProperty("pluginToken").GetString()!);
    }

    /// <summary>Installs as <paramref name="bearer"/>; returns the connection (id, token).</summary>
    public async Task<(string Id, string Token)> InstallAsync(string bearer, string tenantId, string pluginId)
    {
        using var response = await server.SendAsync(HttpMethod.Put, $"/tenants/{tenantId}/plugins/{pluginId}", bearer);
        var body = await JsonAsync(response, HttpStatusCode.Created);
        return (body.GetProperty("pluginConnectionId").GetString()!, body.GetProperty("pluginConnectionToken").GetString()!);
    }

    /// <summary>The ids of the tenants <c>GET /tenants</c> lists for the caller (200 expected).</summary>
    public async Task<string[]> TenantIdsAsync(AuthenticationHeaderValue authorization)
    {
        using var response = await server.SendAsync(HttpMethod.Get, "/tenants", authorization);
        var body = await JsonAsync(response, HttpStatusCode.OK);
        return [.. body.EnumerateArray().Select(t => t.GetProperty("id").GetString()!)];
    }

    public Task<string[]> TenantIdsAsync(string bearer) => TenantIdsAsync(new AuthenticationHeaderValue("Bearer", bearer));

    /// <summary>Logs in with a magma key and returns its token.</summary>
    public async Task<string> MagmaTokenAsync(string name, string secret)
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$"""{"magmaName":"{{name}}","secret":"{{secret}}"}""");
        return (await JsonAsync(response, HttpStatusCode.OK)).GetProperty("accessToken").GetString()!;
    }
}
