using System.Net;
using System.Text.Json;
using AuthFunctions.Tests.Infrastructure;

namespace AuthFunctions.Tests.Http;

/// <summary>
/// What a tenant admin installs from (<c>GET /plugins</c>) and what its tenant has installed
/// (<c>GET /tenants/{tenantId}/plugins</c>), over real HTTP and Azurite: who may list, paging, and
/// that neither listing ever carries a token.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PluginListingTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private LocalHostServer server = null!;
    private TenancyKit kit = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        kit = new TenancyKit(server, await server.AdminTokenAsync());
        await kit.CreateTenantAsync("acme", "Acme Ltd");
        await kit.CreateTenantAsync("globex", "Globex Inc");
    }

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    /// <summary>Every item of a listing and every raw body, following <c>Continuation-Token</c> (and checking <c>Link</c>) page by page.</summary>
    private async Task<(List<JsonElement> Items, string Bodies, int Pages)> AllPagesAsync(string path, string bearer, int limit)
    {
        var items = new List<JsonElement>();
        var bodies = new System.Text.StringBuilder();
        var pages = 0;
        string? next = null;
        do
        {
            var query = next is null ? $"?limit={limit}" : $"?limit={limit}&continuationToken={next}";
            using var response = await server.SendAsync(HttpMethod.Get, path + query, bearer);
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
            bodies.Append(text);
            items.AddRange(JsonDocument.Parse(text).RootElement.Clone().EnumerateArray());
            pages++;
            next = response.Headers.TryGetValues("Continuation-Token", out var tokens) ? tokens.Single() : null;
            if (next is not null)
            {
                Assert.Equal($"<{path}?continuationToken={next}&limit={limit}>; rel=\"next\"", response.Headers.GetValues("Link").Single());
            }
            else
            {
                Assert.False(response.Headers.Contains("Link"));
            }
        }
        while (next is not null && pages < 20);

        return (items, bodies.ToString(), pages);
    }

    private async Task DisableAsync(string pluginId)
    {
        using var response = await server.SendAsync(HttpMethod.Patch, $"/admin/plugins/{pluginId}", kit.Admin, """{"enabled":false}""");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task The_catalog_lists_enabled_plugins_by_id_and_name_only_page_by_page()
    {
        var (_, tina) = await kit.MemberAsync("tina", "acme", "admin");
        var wiki = await kit.CreatePluginAsync("Wiki");
        var chat = await kit.CreatePluginAsync("Chat");
        var crm = await kit.CreatePluginAsync("CRM");
        await DisableAsync(chat.Id);

        var (items, bodies, pages) = await AllPagesAsync("/plugins", tina, 1);

        var listed = new[] { (wiki.Id, Name: "Wiki"), (crm.Id, Name: "CRM") }.OrderBy(p => p.Id, StringComparer.Ordinal).ToArray();
        var expected = listed.Select(p => p.Id).ToArray();
        Assert.Equal(expected, items.Select(i => i.GetProperty("pluginId").GetString()));
        Assert.Equal(listed.Select(p => p.Name), items.Select(i => i.GetProperty("name").GetString()));
        Assert.True(pages >= 2);
        Assert.All(items, i => Assert.Equal(["pluginId", "name"], i.EnumerateObject().Select(p => p.Name)));
        foreach (var secret in new[] { wiki.Token, chat.Token, crm.Token })
        {
            Assert.DoesNotContain(secret, bodies, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("plg_", bodies, StringComparison.Ordinal);
        Assert.DoesNotContain(chat.Id, bodies, StringComparison.Ordinal);

        // A system administrator gets the same catalog.
        Assert.Equal(expected, (await AllPagesAsync("/plugins", kit.Admin, 100)).Items.Select(i => i.GetProperty("pluginId").GetString()));
    }

    [Fact]
    public async Task The_catalog_is_for_tenant_admins_and_administrators_only()
    {
        await kit.CreatePluginAsync("Wiki");
        var (_, operatorToken) = await kit.MemberAsync("otto", "acme", "operator");
        await kit.CreateUserAsync("nobody");
        var nobody = await kit.LoginAsync("nobody");
        var realmSecret = await server.CreateMagmaKeyAsync("acme-key", """["data"]""", tenantId: "acme");
        var realmToken = await kit.MagmaTokenAsync("acme-key", realmSecret);
        var (adminId, _) = await kit.MemberAsync("ada", "acme", "operator");
        await kit.SetMemberAsync("globex", adminId, "admin");

        foreach (var (who, bearer) in new[] { ("an operator", operatorToken), ("a user of no tenant", nobody), ("a realm key", realmToken) })
        {
            using var refused = await server.SendAsync(HttpMethod.Get, "/plugins", bearer);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, who);
            await ProblemAssert.IsProblemAsync(refused, 403, "access_denied");
        }

        using (var anonymous = await server.SendAsync(HttpMethod.Get, "/plugins"))
        {
            await ProblemAssert.IsProblemAsync(anonymous, 401, "invalid_token");
        }

        // Admin of one tenant and operator of another: admin somewhere is enough; a login scoped to the
        // tenant where it is only an operator is not.
        Assert.Single((await AllPagesAsync("/plugins", await kit.LoginAsync("ada"), 100)).Items);
        Assert.Single((await AllPagesAsync("/plugins", await kit.LoginAsync("ada", "globex"), 100)).Items);
        using var scoped = await server.SendAsync(HttpMethod.Get, "/plugins", await kit.LoginAsync("ada", "acme"));
        await ProblemAssert.IsProblemAsync(scoped, 403, "access_denied");
    }

    [Fact]
    public async Task A_tenant_lists_its_active_installations_page_by_page_without_tokens()
    {
        var (_, tina) = await kit.MemberAsync("tina", "acme", "admin");
        var plugins = new List<(string Id, string Token, string Name)>();
        foreach (var name in new[] { "Wiki", "Chat", "CRM", "Mail" })
        {
            var (id, token) = await kit.CreatePluginAsync(name);
            plugins.Add((id, token, name));
        }

        var connections = new Dictionary<string, (string Id, string Token)>();
        foreach (var plugin in plugins)
        {
            connections[plugin.Id] = await kit.InstallAsync(tina, "acme", plugin.Id);
        }

        await kit.InstallAsync(kit.Admin, "globex", plugins[0].Id);

        // Chat is uninstalled, Mail's plugin deleted: neither is listed.
        using (var uninstalled = await server.SendAsync(HttpMethod.Delete, $"/tenants/acme/plugins/{plugins[1].Id}", tina))
        {
            Assert.Equal(HttpStatusCode.NoContent, uninstalled.StatusCode);
        }

        using (var deleted = await server.SendAsync(HttpMethod.Delete, $"/admin/plugins/{plugins[3].Id}", kit.Admin))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var (items, bodies, pages) = await AllPagesAsync("/tenants/acme/plugins", tina, 1);
        var expected = new[] { plugins[0], plugins[2] }.OrderBy(p => p.Id, StringComparer.Ordinal).ToArray();
        Assert.Equal(expected.Select(p => p.Id), items.Select(i => i.GetProperty("pluginId").GetString()));
        Assert.Equal(expected.Select(p => p.Name), items.Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(expected.Select(p => connections[p.Id].Id), items.Select(i => i.GetProperty("connectionId").GetString()));
        Assert.All(items, i => Assert.True(DateTimeOffset.UtcNow - i.GetProperty("installedAt").GetDateTimeOffset() < TimeSpan.FromMinutes(5)));
        Assert.All(items, i => Assert.Equal(["pluginId", "name", "connectionId", "installedAt"], i.EnumerateObject().Select(p => p.Name)));
        Assert.True(pages >= 2);
        Assert.DoesNotContain("plc_", bodies, StringComparison.Ordinal);
        Assert.DoesNotContain("plg_", bodies, StringComparison.Ordinal);

        // The other tenant's listing is its own; a disabled plugin stays installed (and listed).
        await DisableAsync(plugins[0].Id);
        var globex = (await AllPagesAsync("/tenants/globex/plugins", kit.Admin, 100)).Items;
        Assert.Equal([plugins[0].Id], globex.Select(i => i.GetProperty("pluginId").GetString()));
    }

    [Fact]
    public async Task A_tenant_listing_is_for_its_admins_and_administrators_only()
    {
        var (pluginId, _) = await kit.CreatePluginAsync("Wiki");
        var (_, tina) = await kit.MemberAsync("tina", "acme", "admin");
        await kit.InstallAsync(tina, "acme", pluginId);
        var (_, otto) = await kit.MemberAsync("otto", "acme", "operator");
        var (_, gus) = await kit.MemberAsync("gus", "globex", "admin");
        var realmSecret = await server.CreateMagmaKeyAsync("acme-key", """["data"]""", tenantId: "acme");
        var realmToken = await kit.MagmaTokenAsync("acme-key", realmSecret);

        Assert.Single((await AllPagesAsync("/tenants/acme/plugins", tina, 100)).Items);
        Assert.Single((await AllPagesAsync("/tenants/acme/plugins", kit.Admin, 100)).Items);
        foreach (var bearer in new[] { otto, realmToken })
        {
            using var refused = await server.SendAsync(HttpMethod.Get, "/tenants/acme/plugins", bearer);
            await ProblemAssert.IsProblemAsync(refused, 403, "access_denied");
        }

        foreach (var path in new[] { "/tenants/acme/plugins", "/tenants/nowhere/plugins" })
        {
            using var hidden = await server.SendAsync(HttpMethod.Get, path, gus);
            await ProblemAssert.IsProblemAsync(hidden, 404, "not_found");
        }

        using var anonymous = await server.SendAsync(HttpMethod.Get, "/tenants/acme/plugins");
        await ProblemAssert.IsProblemAsync(anonymous, 401, "invalid_token");
        using var post = await server.SendAsync(HttpMethod.Post, "/tenants/acme/plugins", tina, "{}");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task Deleting_a_tenant_uninstalls_its_plugins_through_its_own_listing()
    {
        await kit.CreateTenantAsync("doomed");
        var (pluginId, pluginToken) = await kit.CreatePluginAsync("Wiki");
        var (connectionId, connectionToken) = await kit.InstallAsync(kit.Admin, "doomed", pluginId);
        await kit.InstallAsync(kit.Admin, "acme", pluginId);

        using (var deleted = await server.SendAsync(HttpMethod.Delete, "/admin/tenants/doomed", kit.Admin))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using var dead = await server.SendAsync(HttpMethod.Get, "/tenants", TenancyKit.Connection(connectionId, connectionToken));
        await ProblemAssert.IsProblemAsync(dead, 401, "invalid_client");
        Assert.Equal(["acme"], await kit.TenantIdsAsync(TenancyKit.Plugin(pluginId, pluginToken)));
        Assert.Single((await AllPagesAsync("/tenants/acme/plugins", kit.Admin, 100)).Items);
    }
}
