using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthFunctions.Tests.Http;

/// <summary>Tenants, memberships, plugins, realm keys and tenant logins over real HTTP and Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TenancyTests(AzuriteFixture azurite) : IAsyncLifetime
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

    [Fact]
    public async Task A_user_lists_its_tenants_with_role_and_every_change_applies_on_the_next_request()
    {
        var (alice, token) = await kit.MemberAsync("alice", "acme", "admin");
        await kit.SetMemberAsync("globex", alice, "operator");

        using var both = await server.SendAsync(HttpMethod.Get, "/tenants", token);
        var listed = await TenancyKit.JsonAsync(both, HttpStatusCode.OK);
        Assert.Equal(
            """[{"id":"acme","name":"Acme Ltd","role":"admin"},{"id":"globex","name":"Globex Inc","role":"operator"}]""",
            JsonSerializer.Serialize(listed));
        Assert.Equal("no-store", both.Headers.CacheControl?.ToString());

        // The same token, after each change: no stale tenant list lives in tokens.
        await kit.RemoveMemberAsync("globex", alice);
        Assert.Equal(["acme"], await kit.TenantIdsAsync(token));
        await kit.SetMemberAsync("acme", alice, "operator");
        using var demoted = await server.SendAsync(HttpMethod.Get, "/tenants", token);
        Assert.Equal("operator", (await TenancyKit.JsonAsync(demoted, HttpStatusCode.OK))[0].GetProperty("role").GetString());
        await kit.RemoveMemberAsync("acme", alice);
        Assert.Empty(await kit.TenantIdsAsync(token));
    }

    [Fact]
    public async Task The_super_user_and_a_key_without_a_tenant_reach_no_tenant_but_a_realm_key_reaches_its_own()
    {
        using var super = await server.SendAsync(HttpMethod.Get, "/tenants", kit.Admin);
        await ProblemAssert.IsProblemAsync(super, 403, "access_denied");

        var global = await server.CreateMagmaKeyAsync("global-key");
        using var globalList = await server.SendAsync(HttpMethod.Get, "/tenants", await kit.MagmaTokenAsync("global-key", global));
        await ProblemAssert.IsProblemAsync(globalList, 403, "access_denied");

        var realm = await server.CreateMagmaKeyAsync("acme-key", tenantId: "ACME");
        using var realmList = await server.SendAsync(HttpMethod.Get, "/tenants", await kit.MagmaTokenAsync("acme-key", realm));
        Assert.Equal("""[{"id":"acme","name":"Acme Ltd"}]""", JsonSerializer.Serialize(await TenancyKit.JsonAsync(realmList, HttpStatusCode.OK)));

        using var anonymous = await server.SendAsync(HttpMethod.Get, "/tenants", bearer: null);
        await ProblemAssert.IsProblemAsync(anonymous, 401, "invalid_token");
        Assert.Equal(
            "Bearer realm=\"AuthFunctions\", Plugin realm=\"AuthFunctions\", PluginConnection realm=\"AuthFunctions\"",
            anonymous.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_tenant_login_carries_tid_and_role_and_a_non_member_is_refused_only_after_the_password()
    {
        var (bob, _) = await kit.MemberAsync("bob", "acme", "operator", """["data","administration"]""");

        var token = await kit.LoginAsync("BOB", tenant: "Acme");
        using var details = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", token);
        var claims = await TenancyKit.JsonAsync(details, HttpStatusCode.OK);
        Assert.Equal(("acme", "operator", bob, "password"), (claims.GetProperty("tid").GetString(), claims.GetProperty("role").GetString(), claims.GetProperty("sub").GetString(), claims.GetProperty("grant").GetString()));
        Assert.Equal("""["data"]""", claims.GetProperty("rights").GetRawText());
        Assert.InRange(claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64(), 1790, 1800);
        Assert.Equal(["acme"], await kit.TenantIdsAsync(token));

        using var notMember = await kit.LoginResponseAsync("bob", TenancyKit.Password, "globex");
        await ProblemAssert.IsProblemAsync(notMember, 403, "access_denied");
        using var noSuchTenant = await kit.LoginResponseAsync("bob", TenancyKit.Password, "initech");
        await ProblemAssert.IsProblemAsync(noSuchTenant, 403, "access_denied");
        using var wrongPassword = await kit.LoginResponseAsync("bob", "not-the-password!", "globex");
        await ProblemAssert.IsProblemAsync(wrongPassword, 401, "invalid_grant");
        using var super = await kit.LoginResponseAsync("admin", LocalHostServer.AdminPassword, "acme");
        await ProblemAssert.IsProblemAsync(super, 403, "access_denied");
        using var malformed = await kit.LoginResponseAsync("bob", TenancyKit.Password, "a/b");
        await ProblemAssert.IsProblemAsync(malformed, 400, "invalid_request");
    }

    [Fact]
    public async Task A_tenant_scoped_token_with_administration_rights_is_no_administrator()
    {
        await kit.MemberAsync("carl", "acme", "admin", """["data","administration"]""");
        var scoped = await kit.LoginAsync("carl", tenant: "acme");

        using var response = await server.SendAsync(HttpMethod.Post, "/admin/tenants", scoped, """{"id":"carl-corp","name":"Mine"}""");

        await ProblemAssert.IsProblemAsync(response, 403, "access_denied");
    }

    [Fact]
    public async Task A_plugin_is_installed_once_by_a_tenant_admin_and_its_connection_dies_with_the_uninstall()
    {
        var (_, adminToken) = await kit.MemberAsync("ada", "acme", "admin");
        var (pluginId, pluginToken) = await kit.CreatePluginAsync("Chat widget");
        Assert.StartsWith("p_", pluginId, StringComparison.Ordinal);
        Assert.StartsWith("plg_", pluginToken, StringComparison.Ordinal);

        var (connectionId, connectionToken) = await kit.InstallAsync(adminToken, "acme", pluginId);
        Assert.StartsWith("c_", connectionId, StringComparison.Ordinal);
        Assert.StartsWith("plc_", connectionToken, StringComparison.Ordinal);
        using var again = await server.SendAsync(HttpMethod.Put, $"/tenants/acme/plugins/{pluginId}", adminToken);
        await ProblemAssert.IsProblemAsync(again, 409, "conflict");

        Assert.Equal(["acme"], await kit.TenantIdsAsync(TenancyKit.Plugin(pluginId, pluginToken)));
        Assert.Equal(["acme"], await kit.TenantIdsAsync(TenancyKit.Connection(connectionId, connectionToken)));
        using var installations = await server.SendAsync(HttpMethod.Get, $"/plugins/{pluginId}/installations", TenancyKit.Plugin(pluginId, pluginToken));
        var installation = Assert.Single((await TenancyKit.JsonAsync(installations, HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal((connectionId, "acme"), (installation.GetProperty("connectionId").GetString(), installation.GetProperty("tenantId").GetString()));

        // The super user may install too.
        await kit.InstallAsync(kit.Admin, "globex", pluginId);
        Assert.Equal(["acme", "globex"], await kit.TenantIdsAsync(TenancyKit.Plugin(pluginId, pluginToken)));

        using var uninstalled = await server.SendAsync(HttpMethod.Delete, $"/tenants/acme/plugins/{pluginId}", adminToken);
        Assert.Equal(HttpStatusCode.NoContent, uninstalled.StatusCode);
        using var dead = await server.SendAsync(HttpMethod.Get, "/tenants", TenancyKit.Connection(connectionId, connectionToken));
        await ProblemAssert.IsProblemAsync(dead, 401, "invalid_client");
        Assert.Equal("PluginConnection realm=\"AuthFunctions\"", dead.Headers.WwwAuthenticate.ToString());
        Assert.Equal(["globex"], await kit.TenantIdsAsync(TenancyKit.Plugin(pluginId, pluginToken)));
        using var twice = await server.SendAsync(HttpMethod.Delete, $"/tenants/acme/plugins/{pluginId}", adminToken);
        await ProblemAssert.IsProblemAsync(twice, 404, "not_found");

        // Installed again: a new connection; the old token stays dead.
        var (newId, newToken) = await kit.InstallAsync(adminToken, "acme", pluginId);
        Assert.NotEqual(connectionId, newId);
        Assert.Equal(["acme"], await kit.TenantIdsAsync(TenancyKit.Connection(newId, newToken)));
        using var stillDead = await server.SendAsync(HttpMethod.Get, "/tenants", TenancyKit.Connection(connectionId, connectionToken));
        await ProblemAssert.IsProblemAsync(stillDead, 401, "invalid_client");
    }

    [Fact]
    public async Task Only_an_admin_of_the_tenant_installs_and_other_tenants_are_not_found()
    {
        var (_, operatorToken) = await kit.MemberAsync("otto", "acme", "operator");
        var (pluginId, _) = await kit.CreatePluginAsync("Reports");

        using var asOperator = await server.SendAsync(HttpMethod.Put, $"/tenants/acme/plugins/{pluginId}", operatorToken);
        await ProblemAssert.IsProblemAsync(asOperator, 403, "access_denied");
        using var elsewhere = await server.SendAsync(HttpMethod.Put, $"/tenants/globex/plugins/{pluginId}", operatorToken);
        await ProblemAssert.IsProblemAsync(elsewhere, 404, "not_found");
        using var nowhere = await server.SendAsync(HttpMethod.Put, $"/tenants/initech/plugins/{pluginId}", operatorToken);
        await ProblemAssert.IsProblemAsync(nowhere, 404, "not_found");
        using var noPlugin = await server.SendAsync(HttpMethod.Put, "/tenants/acme/plugins/p_nosuchplugin", kit.Admin);
        await ProblemAssert.IsProblemAsync(noPlugin, 404, "not_found");
    }

    [Fact]
    public async Task A_tenant_admin_runs_its_realm_keys_within_its_own_rights()
    {
        var (_, adminToken) = await kit.MemberAsync("nina", "acme", "admin", """["data","index","authenticate"]""");

        using var created = await server.SendAsync(HttpMethod.Post, "/tenants/acme/magma-keys", adminToken, """{"name":"acme-chat","rights":["data","authenticate"]}""");
        var secret = (await TenancyKit.JsonAsync(created, HttpStatusCode.Created)).GetProperty("secret").GetString()!;
        var keyToken = await kit.MagmaTokenAsync("acme-chat", secret);
        using var details = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", keyToken);
        Assert.Equal("acme", (await TenancyKit.JsonAsync(details, HttpStatusCode.OK)).GetProperty("tid").GetString());

        using var listed = await server.SendAsync(HttpMethod.Get, "/tenants/acme/magma-keys", adminToken);
        var key = Assert.Single((await TenancyKit.JsonAsync(listed, HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal(("acme-chat", "acme", """["data","authenticate"]"""), (key.GetProperty("name").GetString(), key.GetProperty("tenantId").GetString(), key.GetProperty("rights").GetRawText()));
        Assert.False(key.TryGetProperty("secret", out _));
        Assert.False(key.TryGetProperty("secretHash", out _));

        using var beyond = await server.SendAsync(HttpMethod.Post, "/tenants/acme/magma-keys", adminToken, """{"name":"greedy","rights":["data","modify"]}""");
        Assert.Contains("'modify'", (await ProblemAssert.IsProblemAsync(beyond, 403, "access_denied")).GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var administration = await server.SendAsync(HttpMethod.Post, "/tenants/acme/magma-keys", kit.Admin, """{"name":"root","rights":["administration"]}""");
        await ProblemAssert.IsProblemAsync(administration, 400, "invalid_request");
        using var otherTenant = await server.SendAsync(HttpMethod.Post, "/tenants/acme/magma-keys", adminToken, """{"name":"sneaky","rights":["data"],"tenantId":"globex"}""");
        await ProblemAssert.IsProblemAsync(otherTenant, 400, "invalid_request");

        using var deleted = await server.SendAsync(HttpMethod.Delete, "/tenants/acme/magma-keys/ACME-CHAT", adminToken);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var login = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$"""{"magmaName":"acme-chat","secret":"{{secret}}"}""");
        await ProblemAssert.IsProblemAsync(login, 401, "invalid_client");
        using var revoked = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", keyToken);
        await ProblemAssert.IsProblemAsync(revoked, 401, "invalid_token");
        using var empty = await server.SendAsync(HttpMethod.Get, "/tenants/acme/magma-keys", adminToken);
        Assert.Equal(0, (await TenancyKit.JsonAsync(empty, HttpStatusCode.OK)).GetArrayLength());
    }

    [Fact]
    public async Task Memberships_are_checked_before_anything_is_written()
    {
        var userId = await kit.CreateUserAsync("vic");

        using var badRole = await server.SendAsync(HttpMethod.Put, $"/admin/tenants/acme/members/{userId}", kit.Admin, """{"role":"owner"}""");
        await ProblemAssert.IsProblemAsync(badRole, 400, "invalid_request");
        using var noTenant = await server.SendAsync(HttpMethod.Put, $"/admin/tenants/initech/members/{userId}", kit.Admin, """{"role":"admin"}""");
        await ProblemAssert.IsProblemAsync(noTenant, 404, "not_found");
        using var noUser = await server.SendAsync(HttpMethod.Put, "/admin/tenants/acme/members/u_nobody", kit.Admin, """{"role":"admin"}""");
        await ProblemAssert.IsProblemAsync(noUser, 404, "not_found");
        var superId = (await server.Services.GetRequiredService<AuthFunctions.Core.Users.IUserStore>().FindByUsernameAsync("admin", Ct))!.Id;
        using var super = await server.SendAsync(HttpMethod.Put, $"/admin/tenants/acme/members/{superId}", kit.Admin, """{"role":"admin"}""");
        await ProblemAssert.IsProblemAsync(super, 400, "invalid_request");
        using var notMember = await server.SendAsync(HttpMethod.Delete, $"/admin/tenants/acme/members/{userId}", kit.Admin);
        await ProblemAssert.IsProblemAsync(notMember, 404, "not_found");

        using var members = await server.SendAsync(HttpMethod.Get, "/admin/tenants/acme/members", kit.Admin);
        Assert.Equal(0, (await TenancyKit.JsonAsync(members, HttpStatusCode.OK)).GetArrayLength());
        Assert.Empty(await kit.TenantIdsAsync(await kit.LoginAsync("vic")));

        await kit.SetMemberAsync("acme", userId, "admin");
        await kit.SetMemberAsync("acme", userId, "admin");
        using var roster = await server.SendAsync(HttpMethod.Get, "/admin/tenants/acme/members", kit.Admin);
        var member = Assert.Single((await TenancyKit.JsonAsync(roster, HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal((userId, "admin"), (member.GetProperty("userId").GetString(), member.GetProperty("role").GetString()));
    }

    [Fact]
    public async Task Listings_page_with_limit_and_a_continuation_token_bound_to_the_listing()
    {
        var userId = await kit.CreateUserAsync("pat");
        var otherId = await kit.CreateUserAsync("quinn");
        foreach (var id in new[] { "t1", "t2", "t3", "t4", "t5" })
        {
            await kit.CreateTenantAsync(id);
            await kit.SetMemberAsync(id, userId, "operator");
            await kit.SetMemberAsync(id, otherId, "operator");
        }

        var pat = await kit.LoginAsync("pat");
        var seen = new List<string>();
        string? next = null;
        var pages = 0;
        do
        {
            using var page = await server.SendAsync(HttpMethod.Get, next is null ? "/tenants?limit=2" : $"/tenants?limit=2&continuationToken={next}", pat);
            var items = await TenancyKit.JsonAsync(page, HttpStatusCode.OK);
            seen.AddRange(items.EnumerateArray().Select(t => t.GetProperty("id").GetString()!));
            next = page.Headers.TryGetValues("Continuation-Token", out var values) ? values.Single() : null;
            if (next is not null)
            {
                Assert.Equal($"</tenants?continuationToken={next}&limit=2>; rel=\"next\"", page.Headers.GetValues("Link").Single());
            }

            pages++;
        }
        while (next is not null);

        Assert.Equal(["t1", "t2", "t3", "t4", "t5"], seen);
        Assert.Equal(3, pages);

        using var first = await server.SendAsync(HttpMethod.Get, "/tenants?limit=1", pat);
        var token = first.Headers.GetValues("Continuation-Token").Single();
        using var foreign = await server.SendAsync(HttpMethod.Get, $"/tenants?continuationToken={token}", await kit.LoginAsync("quinn"));
        await ProblemAssert.IsProblemAsync(foreign, 400, "invalid_request");
        foreach (var query in new[] { "continuationToken=forged", "continuationToken=", "limit=0", "limit=1001", "limit=ten", "limit=-1", "limit=1&limit=2" })
        {
            using var bad = await server.SendAsync(HttpMethod.Get, "/tenants?" + query, pat);
            await ProblemAssert.IsProblemAsync(bad, 400, "invalid_request");
        }

        using var all = await server.SendAsync(HttpMethod.Get, "/tenants?limit=1000", pat);
        Assert.Equal(5, (await TenancyKit.JsonAsync(all, HttpStatusCode.OK)).GetArrayLength());
        Assert.False(all.Headers.Contains("Link"));
    }
}
