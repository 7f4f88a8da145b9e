using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AuthFunctions.Core.Plugins;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthFunctions.Tests.Http;

/// <summary>
/// Repairing a leaked plugin over real HTTP and Azurite: disabling, enabling, a new token, deletion.
/// Each refusal is checked on the very next request (no cache stands between a change and a check).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PluginAdministrationTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private LocalHostServer server = null!;
    private TenancyKit kit = null!;
    private string pluginId = null!;
    private string pluginToken = null!;
    private (string Id, string Token) acme;
    private (string Id, string Token) globex;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        kit = new TenancyKit(server, await server.AdminTokenAsync());
        await kit.CreateTenantAsync("acme", "Acme Ltd");
        await kit.CreateTenantAsync("globex", "Globex Inc");
        (pluginId, pluginToken) = await kit.CreatePluginAsync("Chat widget");
        acme = await kit.InstallAsync(kit.Admin, "acme", pluginId);
        globex = await kit.InstallAsync(kit.Admin, "globex", pluginId);
    }

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    private AuthenticationHeaderValue Plugin => TenancyKit.Plugin(pluginId, pluginToken);

    private static AuthenticationHeaderValue Connection((string Id, string Token) connection) => TenancyKit.Connection(connection.Id, connection.Token);

    private async Task RefusedAsync(AuthenticationHeaderValue authorization)
    {
        using var response = await server.SendAsync(HttpMethod.Get, "/tenants", authorization);
        await ProblemAssert.IsProblemAsync(response, 401, "invalid_client");
    }

    private async Task<JsonElement> ListedAsync()
    {
        using var response = await server.SendAsync(HttpMethod.Get, "/admin/plugins", kit.Admin);
        return (await TenancyKit.JsonAsync(response, HttpStatusCode.OK)).EnumerateArray().Single(p => p.GetProperty("pluginId").GetString() == pluginId);
    }

    [Fact]
    public async Task Disabling_a_plugin_refuses_its_token_and_every_connection_at_once_and_enabling_revives_them()
    {
        Assert.Equal(["acme", "globex"], await kit.TenantIdsAsync(Plugin));

        using (var disabled = await server.SendAsync(HttpMethod.Patch, $"/admin/plugins/{pluginId}", kit.Admin, """{"enabled":false}"""))
        {
            Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        }

        await RefusedAsync(Plugin);
        await RefusedAsync(Connection(acme));
        await RefusedAsync(Connection(globex));
        Assert.False((await ListedAsync()).GetProperty("enabled").GetBoolean());

        // Nothing new is installed while it is disabled.
        await kit.CreateTenantAsync("initech");
        using (var install = await server.SendAsync(HttpMethod.Put, $"/tenants/initech/plugins/{pluginId}", kit.Admin))
        {
            await ProblemAssert.IsProblemAsync(install, 409, "conflict");
        }

        using (var enabled = await server.SendAsync(HttpMethod.Patch, $"/admin/plugins/{pluginId}", kit.Admin, """{"enabled":true}"""))
        {
            Assert.Equal(HttpStatusCode.NoContent, enabled.StatusCode);
        }

        Assert.Equal(["acme", "globex"], await kit.TenantIdsAsync(Plugin));
        Assert.Equal(["acme"], await kit.TenantIdsAsync(Connection(acme)));
        Assert.Equal(["globex"], await kit.TenantIdsAsync(Connection(globex)));
        Assert.True((await ListedAsync()).GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task A_new_plugin_token_is_shown_once_the_old_one_is_dead_at_once_and_the_connections_keep_working()
    {
        using var rotated = await server.SendAsync(HttpMethod.Post, $"/admin/plugins/{pluginId}/token", kit.Admin);

        var body = await TenancyKit.JsonAsync(rotated, HttpStatusCode.Created);
        Assert.Equal("no-store", rotated.Headers.CacheControl?.ToString());
        Assert.Equal(pluginId, body.GetProperty("pluginId").GetString());
        var newToken = body.GetProperty("pluginToken").GetString()!;
        Assert.StartsWith("plg_", newToken, StringComparison.Ordinal);
        Assert.NotEqual(pluginToken, newToken);

        await RefusedAsync(Plugin);
        Assert.Equal(["acme", "globex"], await kit.TenantIdsAsync(TenancyKit.Plugin(pluginId, newToken)));
        Assert.Equal(["acme"], await kit.TenantIdsAsync(Connection(acme)));
        Assert.Equal(["globex"], await kit.TenantIdsAsync(Connection(globex)));

        // Neither the listing nor the log ever shows it.
        using var listing = await server.SendAsync(HttpMethod.Get, "/admin/plugins", kit.Admin);
        Assert.DoesNotContain(newToken, await listing.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.DoesNotContain(server.Logs.GetSnapshot(), r => r.Message.Contains(newToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deleting_a_plugin_uninstalls_it_everywhere_at_once_and_then_it_is_gone()
    {
        using var deleted = await server.SendAsync(HttpMethod.Delete, $"/admin/plugins/{pluginId}", kit.Admin);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await RefusedAsync(Plugin);
        await RefusedAsync(Connection(acme));
        await RefusedAsync(Connection(globex));
        var installations = server.Services.GetRequiredService<IInstallationStore>();
        Assert.Null(await installations.FindAsync(pluginId, "acme", Ct));
        Assert.Null(await installations.FindAsync(pluginId, "globex", Ct));
        Assert.Null(await installations.FindConnectionAsync(acme.Id, Ct));
        using (var listing = await server.SendAsync(HttpMethod.Get, "/admin/plugins", kit.Admin))
        {
            Assert.Equal(0, (await TenancyKit.JsonAsync(listing, HttpStatusCode.OK)).GetArrayLength());
        }

        using (var ofGone = await server.SendAsync(HttpMethod.Get, $"/admin/plugins/{pluginId}/installations", kit.Admin))
        {
            await ProblemAssert.IsProblemAsync(ofGone, 404, "not_found");
        }

        using (var again = await server.SendAsync(HttpMethod.Delete, $"/admin/plugins/{pluginId}", kit.Admin))
        {
            await ProblemAssert.IsProblemAsync(again, 404, "not_found");
        }

        using var install = await server.SendAsync(HttpMethod.Put, $"/tenants/acme/plugins/{pluginId}", kit.Admin);
        await ProblemAssert.IsProblemAsync(install, 404, "not_found");
    }

    [Fact]
    public async Task A_deletion_cut_short_after_its_first_steps_leaves_nothing_usable_and_repeating_it_completes_it()
    {
        // What a crash leaves after the deletion's first write (the plugin disabled) and one uninstall.
        using (var disabled = await server.SendAsync(HttpMethod.Patch, $"/admin/plugins/{pluginId}", kit.Admin, """{"enabled":false}"""))
        {
            Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        }

        using (var uninstalled = await server.SendAsync(HttpMethod.Delete, $"/tenants/acme/plugins/{pluginId}", kit.Admin))
        {
            Assert.Equal(HttpStatusCode.NoContent, uninstalled.StatusCode);
        }

        await RefusedAsync(Plugin);
        await RefusedAsync(Connection(globex));

        using var deleted = await server.SendAsync(HttpMethod.Delete, $"/admin/plugins/{pluginId}", kit.Admin);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Null(await server.Services.GetRequiredService<IInstallationStore>().FindAsync(pluginId, "globex", Ct));
        Assert.Null(await server.Services.GetRequiredService<IPluginStore>().FindAsync(pluginId, Ct));
    }

    public static TheoryData<string, string, string?, int, string> BadRequests() => new()
    {
        { "PATCH", "/admin/plugins/{id}", "{}", 400, "invalid_request" },
        { "PATCH", "/admin/plugins/{id}", """{"enabled":"no"}""", 400, "invalid_request" },
        { "PATCH", "/admin/plugins/{id}", """{"enabled":null}""", 400, "invalid_request" },
        { "PATCH", "/admin/plugins/{id}", "not json", 400, "invalid_request" },
        { "PATCH", "/admin/plugins/p_ghost", """{"enabled":false}""", 404, "not_found" },
        { "PATCH", "/admin/plugins/x%2Fy", """{"enabled":false}""", 404, "not_found" },
        { "DELETE", "/admin/plugins/p_ghost", null, 404, "not_found" },
        { "DELETE", "/admin/plugins/%E2%80%AE", null, 404, "not_found" },
        { "POST", "/admin/plugins/p_ghost/token", null, 404, "not_found" },
        { "POST", "/admin/plugins/" + new string('p', 300) + "/token", null, 404, "not_found" },
        { "PUT", "/admin/plugins/{id}/token", null, 405, "invalid_request" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_a_4xx_problem_and_changes_nothing(string method, string path, string? json, int status, string error)
    {
        using var response = await server.SendAsync(new HttpMethod(method), path.Replace("{id}", pluginId, StringComparison.Ordinal), kit.Admin, json);

        await ProblemAssert.IsProblemAsync(response, status, error);
        Assert.Equal(["acme", "globex"], await kit.TenantIdsAsync(Plugin));
        Assert.Equal(["acme"], await kit.TenantIdsAsync(Connection(acme)));
        Assert.True((await ListedAsync()).GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task A_patch_without_a_json_content_type_is_415_and_changes_nothing()
    {
        using var response = await server.SendAsync(HttpMethod.Patch, $"/admin/plugins/{pluginId}", kit.Admin, """{"enabled":false}""", "text/plain");

        await ProblemAssert.IsProblemAsync(response, 415, "unsupported_media_type");
        Assert.Equal(["acme", "globex"], await kit.TenantIdsAsync(Plugin));
    }

    [Fact]
    public async Task A_tenant_admin_may_not_disable_rotate_or_delete_a_plugin_nor_may_a_tenant_scoped_token_with_administration()
    {
        var (_, tenantAdmin) = await kit.MemberAsync("tina", "acme", "admin");
        await kit.MemberAsync("otto", "acme", "admin", """["data","administration"]""");
        var scoped = await kit.LoginAsync("otto", tenant: "acme");

        foreach (var token in new[] { tenantAdmin, scoped })
        {
            using var patch = await server.SendAsync(HttpMethod.Patch, $"/admin/plugins/{pluginId}", token, """{"enabled":false}""");
            using var rotate = await server.SendAsync(HttpMethod.Post, $"/admin/plugins/{pluginId}/token", token);
            using var delete = await server.SendAsync(HttpMethod.Delete, $"/admin/plugins/{pluginId}", token);
            await ProblemAssert.IsProblemAsync(patch, 403, "access_denied");
            await ProblemAssert.IsProblemAsync(rotate, 403, "access_denied");
            await ProblemAssert.IsProblemAsync(delete, 403, "access_denied");
        }

        Assert.Equal(["acme", "globex"], await kit.TenantIdsAsync(Plugin));
        Assert.Equal(["acme"], await kit.TenantIdsAsync(Connection(acme)));
    }
}
