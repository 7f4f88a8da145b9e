using System.Net;
using System.Text.Json;
using AuthFunctions.Tests.Infrastructure;

namespace AuthFunctions.Tests.Http;

/// <summary>The admin API the console runs on, usable by scripts alike: listings, partial changes, disabling keys.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AdminListingTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private LocalHostServer server = null!;
    private TenancyKit kit = null!;

    public async ValueTask InitializeAsync()
    {
        server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        kit = new TenancyKit(server, await server.AdminTokenAsync());
    }

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    private async Task<JsonElement> GetAsync(string path, string? bearer = null)
    {
        using var response = await server.SendAsync(HttpMethod.Get, path, bearer ?? kit.Admin);
        return await TenancyKit.JsonAsync(response, HttpStatusCode.OK);
    }

    /// <summary>Every item of a listing, following <c>Continuation-Token</c> page by page.</summary>
    private async Task<List<JsonElement>> GetAllAsync(string path, int limit)
    {
        var items = new List<JsonElement>();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        string? next = null;
        do
        {
            var url = $"{path}{separator}limit={limit}" + (next is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(next));
            using var response = await server.SendAsync(HttpMethod.Get, url, kit.Admin);
            var page = await TenancyKit.JsonAsync(response, HttpStatusCode.OK);
            Assert.True(page.GetArrayLength() <= limit);
            items.AddRange(page.EnumerateArray());
            next = response.Headers.TryGetValues("Continuation-Token", out var tokens) ? tokens.Single() : null;
        }
        while (next is not null);
        return items;
    }

    private static string[] Names(IEnumerable<JsonElement> items, string property) => [.. items.Select(i => i.GetProperty(property).GetString()!)];

    private async Task<JsonElement> UserAsync(string username) =>
        (await GetAsync($"/admin/users?username={Uri.EscapeDataString(username)}")).EnumerateArray()
            .Single(u => string.Equals(u.GetProperty("username").GetString(), username, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public async Task Users_are_listed_in_username_order_searchable_by_prefix_and_paged_without_their_password_hash()
    {
        foreach (var name in new[] { "carol", "Bob", "bobby", "alice", "zed" })
        {
            await kit.CreateUserAsync(name);
        }

        var all = await GetAllAsync("/admin/users", limit: 2);
        Assert.Equal(["admin", "alice", "Bob", "bobby", "carol", "zed"], Names(all, "username"));
        var admin = all[0];
        Assert.Equal(["id", "username", "name", "rights", "superUser", "enabled", "createdAt"], admin.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["administration"], admin.GetProperty("rights").EnumerateArray().Select(r => r.GetString()));
        Assert.True(admin.GetProperty("superUser").GetBoolean());
        Assert.True(admin.GetProperty("enabled").GetBoolean());
        Assert.StartsWith("u_", admin.GetProperty("id").GetString(), StringComparison.Ordinal);

        // Prefixes compare as logins compare usernames: without regard to case.
        Assert.Equal(["Bob", "bobby"], Names((await GetAsync("/admin/users?username=BO")).EnumerateArray(), "username"));
        Assert.Equal(["Bob", "bobby"], Names(await GetAllAsync("/admin/users?username=bo", limit: 1), "username"));
        Assert.Empty((await GetAsync("/admin/users?username=nobody")).EnumerateArray());

        // A prefix ending in U+FFFF (no username can hold it) still bounds the range: nothing, not "the rest".
        Assert.Empty((await GetAsync("/admin/users?username=a%EF%BF%BF")).EnumerateArray());
        Assert.Empty((await GetAsync("/admin/users?username=%EF%BF%BF")).EnumerateArray());

        // A continuation token of one search is refused by another.
        using var first = await server.SendAsync(HttpMethod.Get, "/admin/users?username=bo&limit=1", kit.Admin);
        var token = first.Headers.GetValues("Continuation-Token").Single();
        using var crossed = await server.SendAsync(HttpMethod.Get, $"/admin/users?username=c&continuationToken={Uri.EscapeDataString(token)}", kit.Admin);
        await ProblemAssert.IsProblemAsync(crossed, 400, "invalid_request");
        using var tooLong = await server.SendAsync(HttpMethod.Get, "/admin/users?username=" + new string('a', 101), kit.Admin);
        await ProblemAssert.IsProblemAsync(tooLong, 400, "invalid_request");

        // Odd prefixes (a NUL, broken UTF-8, quotes, key-forbidden characters) find nothing, and never fail.
        foreach (var odd in new[] { "%00", "%ED%A0%80", "%27%27", "a%2Fb", "%23", "%3F" })
        {
            using var response = await server.SendAsync(HttpMethod.Get, "/admin/users?username=" + odd, kit.Admin);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{odd}: {(int)response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.Empty((await TenancyKit.JsonAsync(response, HttpStatusCode.OK)).EnumerateArray());
            }
        }
    }

    [Fact]
    public async Task A_user_patch_changes_exactly_what_it_names_and_a_refused_one_changes_nothing()
    {
        var id = await kit.CreateUserAsync("petra");

        using (var changed = await server.SendAsync(HttpMethod.Patch, $"/admin/users/{id}", kit.Admin, """{"name":"Petra Pan","email":"petra@example.com","rights":["statistics"]}"""))
        {
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        }

        var user = await UserAsync("petra");
        Assert.Equal("Petra Pan", user.GetProperty("name").GetString());
        Assert.Equal("petra@example.com", user.GetProperty("email").GetString());
        Assert.Equal(["statistics"], user.GetProperty("rights").EnumerateArray().Select(r => r.GetString()).ToArray());
        Assert.True(user.GetProperty("enabled").GetBoolean());

        // A weak password next to a valid name: 400, and the name stays as it was.
        using (var weak = await server.SendAsync(HttpMethod.Patch, $"/admin/users/{id}", kit.Admin, """{"name":"Changed","password":"short"}"""))
        {
            await ProblemAssert.IsProblemAsync(weak, 400, "invalid_request");
        }

        using (var unknownRight = await server.SendAsync(HttpMethod.Patch, $"/admin/users/{id}", kit.Admin, """{"rights":["root"]}"""))
        {
            await ProblemAssert.IsProblemAsync(unknownRight, 400, "invalid_request");
        }

        Assert.Equal("Petra Pan", (await UserAsync("petra")).GetProperty("name").GetString());

        // A password reset: the old password stops working, the new one works; an empty email removes the address.
        using (var reset = await server.SendAsync(HttpMethod.Patch, $"/admin/users/{id}", kit.Admin, """{"password":"a-brand-new-passphrase","email":""}"""))
        {
            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        }

        using (var old = await kit.LoginResponseAsync("petra", TenancyKit.Password, null))
        {
            await ProblemAssert.IsProblemAsync(old, 401, "invalid_grant");
        }

        using (var fresh = await kit.LoginResponseAsync("petra", "a-brand-new-passphrase", null))
        {
            var token = (await TenancyKit.JsonAsync(fresh, HttpStatusCode.OK)).GetProperty("accessToken").GetString()!;
            var details = await GetAsync("/api/authentication/token", token);
            Assert.Equal(["statistics"], details.GetProperty("rights").EnumerateArray().Select(r => r.GetString()).ToArray());
            Assert.Equal("Petra Pan", details.GetProperty("name").GetString());
        }

        Assert.False((await UserAsync("petra")).TryGetProperty("email", out _));
        Assert.DoesNotContain(server.Logs.GetSnapshot(), r => r.Message.Contains("a-brand-new-passphrase", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_right_taken_away_or_a_new_password_ends_the_users_live_tokens_and_a_right_added_does_not()
    {
        var id = await kit.CreateUserAsync("rita", """["data","index"]""");
        var expiresAt = DateTimeOffset.UtcNow.AddDays(30).ToString("o", System.Globalization.CultureInfo.InvariantCulture);
        using var created = await server.SendAsync(HttpMethod.Post, "/rs/tokens", kit.Admin, $$"""{"userId":"{{id}}","expiresAt":"{{expiresAt}}"}""");
        var apiToken = (await TenancyKit.JsonAsync(created, HttpStatusCode.Created)).GetProperty("accessToken").GetString()!;
        var passwordToken = await kit.LoginAsync("rita");

        async Task<HttpStatusCode> StatusAsync(string token)
        {
            using var response = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", token);
            return response.StatusCode;
        }

        async Task PatchAsync(string json)
        {
            using var response = await server.SendAsync(HttpMethod.Patch, $"/admin/users/{id}", kit.Admin, json);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        await PatchAsync("""{"rights":["data","index","statistics"]}""");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(apiToken));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(passwordToken));

        await PatchAsync("""{"rights":["data","statistics"]}""");
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(apiToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(passwordToken));

        var afterDemotion = await kit.LoginAsync("rita");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(afterDemotion));
        await PatchAsync("""{"password":"rita-chose-a-new-one"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(afterDemotion));
    }

    [Fact]
    public async Task No_administrator_takes_administration_from_itself_nor_from_a_super_user()
    {
        var adminId = (await UserAsync("admin")).GetProperty("id").GetString();
        using (var superUser = await server.SendAsync(HttpMethod.Patch, $"/admin/users/{adminId}", kit.Admin, """{"rights":["data"]}"""))
        {
            await ProblemAssert.IsProblemAsync(superUser, 400, "invalid_request");
        }

        var opsId = await kit.CreateUserAsync("ops", """["administration","data"]""");
        var ops = await kit.LoginAsync("ops");
        using (var self = await server.SendAsync(HttpMethod.Patch, $"/admin/users/{opsId}", ops, """{"rights":["data"]}"""))
        {
            await ProblemAssert.IsProblemAsync(self, 400, "invalid_request");
        }

        using (var emptyName = await server.SendAsync(HttpMethod.Patch, $"/admin/users/{opsId}", kit.Admin, """{"name":""}"""))
        {
            await ProblemAssert.IsProblemAsync(emptyName, 400, "invalid_request");
        }

        Assert.Equal(["data", "administration"], (await UserAsync("ops")).GetProperty("rights").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("ops", (await UserAsync("ops")).GetProperty("name").GetString());

        // Another administrator may.
        using var other = await server.SendAsync(HttpMethod.Patch, $"/admin/users/{opsId}", kit.Admin, """{"rights":["data"]}""");
        Assert.Equal(HttpStatusCode.NoContent, other.StatusCode);
    }

    [Fact]
    public async Task An_administrator_cannot_disable_itself()
    {
        var adminId = (await UserAsync("admin")).GetProperty("id").GetString();

        using var response = await server.SendAsync(HttpMethod.Patch, $"/admin/users/{adminId}", kit.Admin, """{"enabled":false}""");

        await ProblemAssert.IsProblemAsync(response, 400, "invalid_request");
        Assert.True((await UserAsync("admin")).GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task A_disabled_magma_key_cannot_log_in_and_its_live_tokens_die_and_enabling_it_revives_none()
    {
        await kit.CreateTenantAsync("acme");
        var secret = await server.CreateMagmaKeyAsync("svc-b", """["data"]""");
        var realmSecret = await server.CreateMagmaKeyAsync("svc-a", """["data"]""", "acme");
        var live = await kit.MagmaTokenAsync("svc-b", secret);

        using (var disabled = await server.SendAsync(HttpMethod.Patch, "/admin/magma-keys/SVC-B", kit.Admin, """{"enabled":false}"""))
        {
            Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        }

        using (var login = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$"""{"magmaName":"svc-b","secret":"{{secret}}"}"""))
        {
            await ProblemAssert.IsProblemAsync(login, 401, "invalid_client");
        }

        using (var details = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", live))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, details.StatusCode);
        }

        using (var realmDisabled = await server.SendAsync(HttpMethod.Patch, "/admin/magma-keys/svc-a", kit.Admin, """{"enabled":false}"""))
        {
            Assert.Equal(HttpStatusCode.NoContent, realmDisabled.StatusCode);
        }

        var keys = await GetAllAsync("/admin/magma-keys", limit: 1);
        Assert.Equal(["demo-server", "svc-a", "svc-b"], Names(keys, "name"));
        Assert.Equal([true, false, false], keys.Select(k => k.GetProperty("enabled").GetBoolean()).ToArray());
        Assert.Equal("acme", keys[1].GetProperty("tenantId").GetString());
        Assert.Equal(["name", "rights", "tenantId", "enabled", "createdAt"], keys[1].EnumerateObject().Select(p => p.Name));

        // The tenant's own listing shows the realm key disabled too.
        Assert.False(Assert.Single((await GetAsync("/tenants/acme/magma-keys")).EnumerateArray()).GetProperty("enabled").GetBoolean());
        using (var realmLogin = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$"""{"magmaName":"svc-a","secret":"{{realmSecret}}"}"""))
        {
            await ProblemAssert.IsProblemAsync(realmLogin, 401, "invalid_client");
        }

        using (var enabled = await server.SendAsync(HttpMethod.Patch, "/admin/magma-keys/svc-b", kit.Admin, """{"enabled":true}"""))
        {
            Assert.Equal(HttpStatusCode.NoContent, enabled.StatusCode);
        }

        Assert.NotEmpty(await kit.MagmaTokenAsync("svc-b", secret));
        using (var stillDead = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", live))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, stillDead.StatusCode);
        }

        using var ghost = await server.SendAsync(HttpMethod.Patch, "/admin/magma-keys/ghost", kit.Admin, """{"enabled":false}""");
        await ProblemAssert.IsProblemAsync(ghost, 404, "not_found");
        using var empty = await server.SendAsync(HttpMethod.Patch, "/admin/magma-keys/svc-b", kit.Admin, "{}");
        await ProblemAssert.IsProblemAsync(empty, 400, "invalid_request");
    }

    [Fact]
    public async Task Tenants_and_plugins_are_listed_and_a_roster_names_its_members()
    {
        await kit.CreateTenantAsync("Zeta", "Zeta Inc");
        await kit.CreateTenantAsync("acme", "Acme Ltd");
        var (adminId, tenantAdmin) = await kit.MemberAsync("anna", "acme", "admin");
        var (operatorId, tenantOperator) = await kit.MemberAsync("otto", "acme", "operator");

        var tenants = await GetAllAsync("/admin/tenants", limit: 1);
        Assert.Equal(["acme", "demo", "Zeta"], Names(tenants, "id"));
        Assert.Equal("Zeta Inc", tenants[2].GetProperty("name").GetString());

        var roster = (await GetAsync("/admin/tenants/acme/members")).EnumerateArray().OrderBy(m => m.GetProperty("username").GetString()).ToList();
        Assert.Equal(["anna", "otto"], Names(roster, "username"));
        Assert.Equal([adminId, operatorId], Names(roster, "userId"));
        Assert.Equal(["admin", "operator"], Names(roster, "role"));

        // A tenant admin reads its own roster (not another tenant's); an operator does not.
        Assert.Equal(2, (await GetAsync("/tenants/acme/members", tenantAdmin)).GetArrayLength());
        using (var other = await server.SendAsync(HttpMethod.Get, "/tenants/zeta/members", tenantAdmin))
        {
            await ProblemAssert.IsProblemAsync(other, 404, "not_found");
        }

        using (var asOperator = await server.SendAsync(HttpMethod.Get, "/tenants/acme/members", tenantOperator))
        {
            await ProblemAssert.IsProblemAsync(asOperator, 403, "access_denied");
        }

        using (var adminListing = await server.SendAsync(HttpMethod.Get, "/admin/tenants", tenantAdmin))
        {
            await ProblemAssert.IsProblemAsync(adminListing, 403, "access_denied");
        }

        var (pluginId, _) = await kit.CreatePluginAsync("Chat");
        var (connectionId, _) = await kit.InstallAsync(tenantAdmin, "acme", pluginId);
        var plugin = Assert.Single((await GetAsync("/admin/plugins")).EnumerateArray());
        Assert.Equal(pluginId, plugin.GetProperty("pluginId").GetString());
        Assert.Equal("Chat", plugin.GetProperty("name").GetString());
        Assert.Equal(["pluginId", "name", "enabled", "createdAt"], plugin.EnumerateObject().Select(p => p.Name));

        var installation = Assert.Single((await GetAsync($"/admin/plugins/{pluginId}/installations")).EnumerateArray());
        Assert.Equal(connectionId, installation.GetProperty("connectionId").GetString());
        Assert.Equal("acme", installation.GetProperty("tenantId").GetString());
        using var unknown = await server.SendAsync(HttpMethod.Get, "/admin/plugins/p_ghost/installations", kit.Admin);
        await ProblemAssert.IsProblemAsync(unknown, 404, "not_found");
    }
}
