using System.Net;
using System.Net.Http.Headers;
using AuthFunctions.Tests.Infrastructure;

namespace AuthFunctions.Tests.Http;

/// <summary>
/// Every credential of tenant A, plugin 1 and connection 1 tried, as an attacker would, against
/// tenant B, plugin 2 and connection 2: nothing crosses, and nothing reveals that B's things exist.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TenantIsolationTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private LocalHostServer server = null!;
    private TenancyKit kit = null!;
    private string adaToken = null!;
    private string gusToken = null!;
    private (string Id, string Token) plugin1;
    private (string Id, string Token) plugin2;
    private (string Id, string Token) connection1;
    private (string Id, string Token) connection2;

    public async ValueTask InitializeAsync()
    {
        server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        kit = new TenancyKit(server, await server.AdminTokenAsync());
        await kit.CreateTenantAsync("acme", "Acme Ltd");
        await kit.CreateTenantAsync("globex", "Globex Inc");
        (_, adaToken) = await kit.MemberAsync("ada", "acme", "admin", """["data","index","authenticate"]""");
        (_, gusToken) = await kit.MemberAsync("gus", "globex", "admin", """["data","index","authenticate"]""");
        plugin1 = await kit.CreatePluginAsync("Plugin one");
        plugin2 = await kit.CreatePluginAsync("Plugin two");
        connection1 = await kit.InstallAsync(adaToken, "acme", plugin1.Id);
        connection2 = await kit.InstallAsync(gusToken, "globex", plugin2.Id);
        using var globexKey = await server.SendAsync(HttpMethod.Post, "/tenants/globex/magma-keys", gusToken, """{"name":"globex-key","rights":["data"]}""");
        Assert.Equal(HttpStatusCode.Created, globexKey.StatusCode);
    }

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    private async Task RefusedAsync(HttpMethod method, string path, AuthenticationHeaderValue authorization, int status, string error, string? json = null)
    {
        using var response = await server.SendAsync(method, path, authorization, json);
        await ProblemAssert.IsProblemAsync(response, status, error);
    }

    private Task RefusedAsync(HttpMethod method, string path, string bearer, int status, string error, string? json = null) =>
        RefusedAsync(method, path, new AuthenticationHeaderValue("Bearer", bearer), status, error, json);

    [Fact]
    public async Task Each_credential_sees_only_its_own_tenants()
    {
        Assert.Equal(["acme"], await kit.TenantIdsAsync(adaToken));
        Assert.Equal(["acme"], await kit.TenantIdsAsync(TenancyKit.Plugin(plugin1.Id, plugin1.Token)));
        Assert.Equal(["globex"], await kit.TenantIdsAsync(TenancyKit.Plugin(plugin2.Id, plugin2.Token)));
        Assert.Equal(["acme"], await kit.TenantIdsAsync(TenancyKit.Connection(connection1.Id, connection1.Token)));
        Assert.Equal(["globex"], await kit.TenantIdsAsync(TenancyKit.Connection(connection2.Id, connection2.Token)));
    }

    [Fact]
    public async Task A_tenant_admin_cannot_reach_another_tenant_nor_tell_that_it_exists()
    {
        foreach (var tenant in new[] { "globex", "GLOBEX", "initech" })
        {
            await RefusedAsync(HttpMethod.Get, $"/tenants/{tenant}/magma-keys", adaToken, 404, "not_found");
            await RefusedAsync(HttpMethod.Post, $"/tenants/{tenant}/magma-keys", adaToken, 404, "not_found", """{"name":"planted","rights":["data"]}""");
            await RefusedAsync(HttpMethod.Delete, $"/tenants/{tenant}/magma-keys/globex-key", adaToken, 404, "not_found");
            await RefusedAsync(HttpMethod.Put, $"/tenants/{tenant}/plugins/{plugin1.Id}", adaToken, 404, "not_found");
            await RefusedAsync(HttpMethod.Delete, $"/tenants/{tenant}/plugins/{plugin2.Id}", adaToken, 404, "not_found");
        }

        // Through its own tenant's path, another tenant's key is not found either.
        await RefusedAsync(HttpMethod.Delete, "/tenants/acme/magma-keys/globex-key", adaToken, 404, "not_found");
        await RefusedAsync(HttpMethod.Delete, "/tenants/acme/magma-keys/demo-server", adaToken, 404, "not_found");
        await RefusedAsync(HttpMethod.Post, "/tenants/acme/magma-keys", adaToken, 400, "invalid_request", """{"name":"planted","rights":["data"],"tenantId":"globex"}""");

        Assert.Equal(["globex"], await kit.TenantIdsAsync(TenancyKit.Plugin(plugin2.Id, plugin2.Token)));
        using var keys = await server.SendAsync(HttpMethod.Get, "/tenants/globex/magma-keys", gusToken);
        Assert.Equal(1, (await TenancyKit.JsonAsync(keys, HttpStatusCode.OK)).GetArrayLength());
    }

    [Fact]
    public async Task Plugin_and_connection_credentials_do_not_mix()
    {
        var cases = new (string Scheme, string Id, string Token)[]
        {
            ("Plugin", plugin1.Token, plugin1.Id),               // the two halves swapped
            ("Plugin", plugin1.Id, plugin2.Token),               // another plugin's token
            ("Plugin", plugin1.Id, connection1.Token),           // a connection token as a plugin token
            ("Plugin", connection1.Id, connection1.Token),       // a connection posing as a plugin
            ("PluginConnection", connection1.Token, connection1.Id),
            ("PluginConnection", connection1.Id, connection2.Token),
            ("PluginConnection", connection1.Id, plugin1.Token), // a plugin token as a connection token
            ("PluginConnection", plugin1.Id, plugin1.Token),     // a plugin posing as a connection
            ("Plugin", "p_guessed000000000000", plugin1.Token),
        };
        foreach (var (scheme, id, token) in cases)
        {
            using var response = await server.SendAsync(HttpMethod.Get, "/tenants", TenancyKit.Pair(scheme, id, token));
            await ProblemAssert.IsProblemAsync(response, 401, "invalid_client");
            Assert.Equal($"{scheme} realm=\"AuthFunctions\"", response.Headers.WwwAuthenticate.ToString());
        }

        await RefusedAsync(HttpMethod.Get, "/tenants", new AuthenticationHeaderValue("Plugin", "not base64!"), 400, "invalid_request");
        using var asConnection = await server.SendAsync(HttpMethod.Get, $"/plugins/{plugin1.Id}/installations", TenancyKit.Connection(connection1.Id, connection1.Token));
        await ProblemAssert.IsProblemAsync(asConnection, 401, "invalid_client");
        Assert.Equal("Plugin realm=\"AuthFunctions\"", asConnection.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_plugin_sees_its_own_installations_only()
    {
        var plugin = TenancyKit.Plugin(plugin1.Id, plugin1.Token);

        await RefusedAsync(HttpMethod.Get, $"/plugins/{plugin2.Id}/installations", plugin, 404, "not_found");
        await RefusedAsync(HttpMethod.Get, "/plugins/p_guessed000000000000/installations", plugin, 404, "not_found");
        using var own = await server.SendAsync(HttpMethod.Get, $"/plugins/{plugin1.Id}/installations", plugin);
        var installation = Assert.Single((await TenancyKit.JsonAsync(own, HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal("acme", installation.GetProperty("tenantId").GetString());

        // Plugins and connections are no bearer: tenant administration refuses them outright.
        await RefusedAsync(HttpMethod.Put, $"/tenants/acme/plugins/{plugin2.Id}", plugin, 401, "invalid_token");
        await RefusedAsync(HttpMethod.Get, "/tenants/acme/magma-keys", TenancyKit.Connection(connection1.Id, connection1.Token), 401, "invalid_token");
    }

    [Fact]
    public async Task A_realm_key_reaches_its_own_tenant_only_and_administers_nothing()
    {
        using var created = await server.SendAsync(HttpMethod.Post, "/tenants/acme/magma-keys", adaToken, """{"name":"acme-key","rights":["data","authenticate"]}""");
        var secret = (await TenancyKit.JsonAsync(created, HttpStatusCode.Created)).GetProperty("secret").GetString()!;
        var realm = await kit.MagmaTokenAsync("acme-key", secret);

        Assert.Equal(["acme"], await kit.TenantIdsAsync(realm));
        await RefusedAsync(HttpMethod.Get, "/tenants/globex/magma-keys", realm, 404, "not_found");
        await RefusedAsync(HttpMethod.Put, $"/tenants/globex/plugins/{plugin1.Id}", realm, 404, "not_found");
        await RefusedAsync(HttpMethod.Get, "/tenants/acme/magma-keys", realm, 403, "access_denied");
        await RefusedAsync(HttpMethod.Post, "/tenants/acme/magma-keys", realm, 403, "access_denied", """{"name":"child","rights":["data"]}""");
        await RefusedAsync(HttpMethod.Post, "/admin/tenants", realm, 403, "access_denied", """{"id":"mine","name":"Mine"}""");

        // Its delegated users carry its tenant, and reach no other either.
        using var delegated = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$$"""{"magmaName":"acme-key","secret":"{{{secret}}}","user":{"id":"42","name":"Eve","allowData":true}}""");
        var eve = (await TenancyKit.JsonAsync(delegated, HttpStatusCode.OK)).GetProperty("accessToken").GetString()!;
        Assert.Equal(["acme"], await kit.TenantIdsAsync(eve));
        await RefusedAsync(HttpMethod.Get, "/tenants/globex/magma-keys", eve, 404, "not_found");
    }

    [Fact]
    public async Task A_tenant_scoped_token_reaches_only_that_tenant_even_for_an_admin_of_both()
    {
        var (both, _) = await kit.MemberAsync("bea", "acme", "admin");
        await kit.SetMemberAsync("globex", both, "admin");
        var scoped = await kit.LoginAsync("bea", tenant: "acme");

        Assert.Equal(["acme"], await kit.TenantIdsAsync(scoped));
        await RefusedAsync(HttpMethod.Get, "/tenants/globex/magma-keys", scoped, 404, "not_found");
        using var own = await server.SendAsync(HttpMethod.Get, "/tenants/acme/magma-keys", scoped);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(["acme", "globex"], await kit.TenantIdsAsync(await kit.LoginAsync("bea")));
    }

    [Fact]
    public async Task A_removed_member_loses_the_tenant_on_its_very_next_request()
    {
        var (id, token) = await kit.MemberAsync("rem", "acme", "admin");
        var scoped = await kit.LoginAsync("rem", tenant: "acme");
        using var before = await server.SendAsync(HttpMethod.Get, "/tenants/acme/magma-keys", token);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        await kit.RemoveMemberAsync("acme", id);

        await RefusedAsync(HttpMethod.Get, "/tenants/acme/magma-keys", token, 404, "not_found");
        Assert.Empty(await kit.TenantIdsAsync(token));

        // A token scoped to the tenant is dead everywhere, introspection included: it named a membership that ended.
        await RefusedAsync(HttpMethod.Get, "/tenants/acme/magma-keys", scoped, 401, "invalid_token");
        await RefusedAsync(HttpMethod.Get, "/api/authentication/token", scoped, 401, "invalid_token");
        var resourceServer = await server.CreateMagmaKeyAsync("rs", """["data","introspect"]""");
        using var introspection = await server.Client.PostAsync(
            "/oauth2/introspect",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = "rs", ["client_secret"] = resourceServer, ["token"] = scoped }),
            TestContext.Current.CancellationToken);
        Assert.Equal("""{"active":false}""", await introspection.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_demoted_admin_loses_its_tenant_scoped_token_and_logs_in_again_as_operator()
    {
        var (id, _) = await kit.MemberAsync("dee", "acme", "admin");
        var scoped = await kit.LoginAsync("dee", tenant: "acme");

        await kit.SetMemberAsync("acme", id, "operator");

        await RefusedAsync(HttpMethod.Get, "/api/authentication/token", scoped, 401, "invalid_token");
        var again = await kit.LoginAsync("dee", tenant: "acme");
        using var details = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", again);
        Assert.Equal("operator", (await TenancyKit.JsonAsync(details, HttpStatusCode.OK)).GetProperty("role").GetString());
        await RefusedAsync(HttpMethod.Get, "/tenants/acme/magma-keys", again, 403, "access_denied");

        // Promoting again takes nothing away: the operator's token lives on.
        await kit.SetMemberAsync("acme", id, "admin");
        using var still = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", again);
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task A_continuation_token_of_one_tenant_or_plugin_is_refused_by_another()
    {
        await kit.CreatePluginAsync("filler");
        var (_, operatorToken) = await kit.MemberAsync("op", "acme", "operator");
        await kit.SetMemberAsync("globex", (await kit.MemberAsync("op2", "globex", "operator")).Id, "operator");
        using var acmeMembers = await server.SendAsync(HttpMethod.Get, "/admin/tenants/acme/members?limit=1", kit.Admin);
        var token = acmeMembers.Headers.GetValues("Continuation-Token").Single();

        await RefusedAsync(HttpMethod.Get, $"/admin/tenants/globex/members?continuationToken={token}", kit.Admin, 400, "invalid_request");
        await RefusedAsync(HttpMethod.Get, $"/tenants?continuationToken={token}", operatorToken, 400, "invalid_request");
        await RefusedAsync(HttpMethod.Get, $"/plugins/{plugin1.Id}/installations?continuationToken={token}", TenancyKit.Plugin(plugin1.Id, plugin1.Token), 400, "invalid_request");
        using var same = await server.SendAsync(HttpMethod.Get, $"/admin/tenants/acme/members?continuationToken={token}", kit.Admin);
        Assert.Equal(1, (await TenancyKit.JsonAsync(same, HttpStatusCode.OK)).GetArrayLength());
    }
}
