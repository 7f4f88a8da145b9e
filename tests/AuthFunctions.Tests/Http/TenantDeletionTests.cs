using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Data.Tables;
using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Plugins;
using AuthFunctions.Core.Tenants;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Tests.Http;

/// <summary>
/// <c>DELETE /admin/tenants/{tenantId}</c> over real HTTP and Azurite: everything that reached the
/// tenant (realm keys and their tokens, members and their tenant tokens, plugin connections) is dead
/// at once, and a deletion cut short is completed by repeating it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TenantDeletionTests(AzuriteFixture azurite) : IAsyncLifetime
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

    private async Task<HttpResponseMessage> MagmaLoginAsync(string name, string secret, bool delegated = false) =>
        await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: delegated
            ? JsonSerializer.Serialize(new { magmaName = name, secret, user = new { id = "42", name = "Ann", allowData = true } })
            : JsonSerializer.Serialize(new { magmaName = name, secret }));

    private async Task<string> TokenOfAsync(HttpResponseMessage login)
    {
        using (login)
        {
            return (await TenancyKit.JsonAsync(login, HttpStatusCode.OK)).GetProperty("accessToken").GetString()!;
        }
    }

    private async Task DeadAsync(string token)
    {
        using var details = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", token);
        await ProblemAssert.IsProblemAsync(details, 401, "invalid_token");
    }

    private async Task AliveAsync(string token)
    {
        using var details = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", token);
        Assert.Equal(HttpStatusCode.OK, details.StatusCode);
    }

    private async Task<string[]> AdminTenantIdsAsync()
    {
        using var listing = await server.SendAsync(HttpMethod.Get, "/admin/tenants", kit.Admin);
        return [.. (await TenancyKit.JsonAsync(listing, HttpStatusCode.OK)).EnumerateArray().Select(t => t.GetProperty("id").GetString()!)];
    }

    private static string PublicJwk()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(key.ExportParameters(false))));
        return JsonSerializer.Serialize(new { kty = jwk.Kty, crv = jwk.Crv, x = jwk.X, y = jwk.Y });
    }

    [Fact]
    public async Task Deleting_a_tenant_ends_its_realm_keys_members_and_connections_at_once_and_leaves_other_tenants_alone()
    {
        // acme: a realm key (own and delegated tokens, an assertion key), a member with a tenant token, a plugin.
        var realmSecret = await server.CreateMagmaKeyAsync("acme-chat", """["data","authenticate"]""", tenantId: "acme");
        var realmToken = await TokenOfAsync(await MagmaLoginAsync("acme-chat", realmSecret));
        var delegatedToken = await TokenOfAsync(await MagmaLoginAsync("acme-chat", realmSecret, delegated: true));
        using (var put = await server.SendAsync(HttpMethod.Put, "/admin/magma-keys/acme-chat/assertion-keys/a1", kit.Admin, PublicJwk()))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var (nina, ninaToken) = await kit.MemberAsync("nina", "acme", "admin");
        await kit.SetMemberAsync("globex", nina, "operator");
        var ninaAcmeToken = await kit.LoginAsync("nina", tenant: "acme");
        var ninaGlobexToken = await kit.LoginAsync("nina", tenant: "globex");
        var (pluginId, pluginToken) = await kit.CreatePluginAsync("Chat widget");
        var acmeConnection = await kit.InstallAsync(kit.Admin, "acme", pluginId);
        var globexConnection = await kit.InstallAsync(kit.Admin, "globex", pluginId);
        var globexSecret = await server.CreateMagmaKeyAsync("globex-chat", """["data"]""", tenantId: "globex");

        using var deleted = await server.SendAsync(HttpMethod.Delete, "/admin/tenants/ACME", kit.Admin);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        // The realm key: no login, and the tokens it gave out before are refused.
        using (var login = await MagmaLoginAsync("acme-chat", realmSecret))
        {
            await ProblemAssert.IsProblemAsync(login, 401, "invalid_client");
        }

        await DeadAsync(realmToken);
        await DeadAsync(delegatedToken);
        Assert.Empty(await server.Services.GetRequiredService<IAssertionKeyStore>().ListAsync("acme-chat", Ct));
        using (var key = await server.SendAsync(HttpMethod.Get, "/admin/magma-keys/acme-chat", kit.Admin))
        {
            await ProblemAssert.IsProblemAsync(key, 404, "not_found");
        }

        // The member: its acme token is dead, its other tenant is untouched.
        await DeadAsync(ninaAcmeToken);
        await AliveAsync(ninaGlobexToken);
        Assert.Equal(["globex"], await kit.TenantIdsAsync(ninaToken));
        Assert.Null(await server.Services.GetRequiredService<IMembershipStore>().FindRosterAsync("acme", nina, Ct));

        // The plugin: acme's connection is dead, globex's lives, the plugin sees globex only.
        using (var connection = await server.SendAsync(HttpMethod.Get, "/tenants", TenancyKit.Connection(acmeConnection.Id, acmeConnection.Token)))
        {
            await ProblemAssert.IsProblemAsync(connection, 401, "invalid_client");
        }

        Assert.Equal(["globex"], await kit.TenantIdsAsync(TenancyKit.Connection(globexConnection.Id, globexConnection.Token)));
        Assert.Equal(["globex"], await kit.TenantIdsAsync(TenancyKit.Plugin(pluginId, pluginToken)));
        Assert.Null(await server.Services.GetRequiredService<IInstallationStore>().FindAsync(pluginId, "acme", Ct));

        // The tenant itself.
        using (var members = await server.SendAsync(HttpMethod.Get, "/admin/tenants/acme/members", kit.Admin))
        {
            await ProblemAssert.IsProblemAsync(members, 404, "not_found");
        }

        Assert.DoesNotContain("acme", await AdminTenantIdsAsync());
        Assert.Contains("globex", await AdminTenantIdsAsync());
        using (var again = await server.SendAsync(HttpMethod.Delete, "/admin/tenants/acme", kit.Admin))
        {
            await ProblemAssert.IsProblemAsync(again, 404, "not_found");
        }

        Assert.NotEmpty(await TokenOfAsync(await MagmaLoginAsync("globex-chat", globexSecret)));

        // Created again under the same id, it inherits nothing: no member, no realm key, no dead token revived.
        await kit.CreateTenantAsync("acme", "Acme Again");
        using (var roster = await server.SendAsync(HttpMethod.Get, "/admin/tenants/acme/members", kit.Admin))
        {
            Assert.Equal(0, (await TenancyKit.JsonAsync(roster, HttpStatusCode.OK)).GetArrayLength());
        }

        using (var keys = await server.SendAsync(HttpMethod.Get, "/tenants/acme/magma-keys", kit.Admin))
        {
            Assert.Equal(0, (await TenancyKit.JsonAsync(keys, HttpStatusCode.OK)).GetArrayLength());
        }

        await DeadAsync(ninaAcmeToken);
        await DeadAsync(realmToken);
        Assert.Equal(["globex"], await kit.TenantIdsAsync(TenancyKit.Plugin(pluginId, pluginToken)));
    }

    [Fact]
    public async Task An_installation_without_a_tenant_index_entry_from_before_the_index_still_dies_with_its_tenant()
    {
        var (pluginId, _) = await kit.CreatePluginAsync("Chat widget");
        var connection = await kit.InstallAsync(kit.Admin, "acme", pluginId);
        var index = new TableClient(azurite.ConnectionString, server.TablePrefix + "tenantplugins");
        await foreach (var entry in index.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"acme"}"), cancellationToken: Ct))
        {
            await index.DeleteEntityAsync(entry.PartitionKey, entry.RowKey, cancellationToken: Ct);
        }

        Assert.Equal(["acme"], await kit.TenantIdsAsync(TenancyKit.Connection(connection.Id, connection.Token)));

        using var deleted = await server.SendAsync(HttpMethod.Delete, "/admin/tenants/acme", kit.Admin);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var refused = await server.SendAsync(HttpMethod.Get, "/tenants", TenancyKit.Connection(connection.Id, connection.Token));
        await ProblemAssert.IsProblemAsync(refused, 401, "invalid_client");
    }

    [Fact]
    public async Task A_deletion_cut_short_after_its_first_write_leaves_the_tenant_unreachable_and_repeating_it_completes_it()
    {
        var realmSecret = await server.CreateMagmaKeyAsync("acme-bot", """["data"]""", tenantId: "acme");
        var realmToken = await TokenOfAsync(await MagmaLoginAsync("acme-bot", realmSecret));
        var (tina, tinaToken) = await kit.MemberAsync("tina", "acme", "admin");
        var (pluginId, _) = await kit.CreatePluginAsync("Wiki");
        var connection = await kit.InstallAsync(kit.Admin, "acme", pluginId);

        // What a crash right after the deletion's first write leaves: the tenant marked, nothing else done.
        var tenants = server.Services.GetRequiredService<ITenantStore>();
        Assert.True(await tenants.MarkDeletingAsync((await tenants.FindAsync("acme", Ct))!, Ct));

        // Nothing reaches the tenant any more, and nothing new can be added to it.
        using (var asRealmKey = await server.SendAsync(HttpMethod.Get, "/tenants", realmToken))
        {
            Assert.Equal(0, (await TenancyKit.JsonAsync(asRealmKey, HttpStatusCode.OK)).GetArrayLength());
        }

        Assert.Empty(await kit.TenantIdsAsync(TenancyKit.Connection(connection.Id, connection.Token)));
        using (var install = await server.SendAsync(HttpMethod.Put, $"/tenants/acme/plugins/{(await kit.CreatePluginAsync("Late")).Id}", tinaToken))
        {
            await ProblemAssert.IsProblemAsync(install, 404, "not_found");
        }

        var late = await kit.CreateUserAsync("late");
        using (var member = await server.SendAsync(HttpMethod.Put, $"/admin/tenants/acme/members/{late}", kit.Admin, """{"role":"operator"}"""))
        {
            await ProblemAssert.IsProblemAsync(member, 404, "not_found");
        }

        using (var key = await server.SendAsync(HttpMethod.Post, "/admin/magma-keys", kit.Admin, """{"name":"late-key","rights":["data"],"tenantId":"acme"}"""))
        {
            await ProblemAssert.IsProblemAsync(key, 400, "invalid_request");
        }

        using (var members = await server.SendAsync(HttpMethod.Get, "/admin/tenants/acme/members", kit.Admin))
        {
            await ProblemAssert.IsProblemAsync(members, 404, "not_found");
        }

        // Still listed, so that an administrator sees it and can repeat the deletion.
        Assert.Contains("acme", await AdminTenantIdsAsync());

        using var deleted = await server.SendAsync(HttpMethod.Delete, "/admin/tenants/acme", kit.Admin);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.DoesNotContain("acme", await AdminTenantIdsAsync());
        await DeadAsync(realmToken);
        Assert.Empty(await kit.TenantIdsAsync(tinaToken));
        Assert.Null(await server.Services.GetRequiredService<IMembershipStore>().FindAsync(tina, "acme", Ct));
        Assert.Null(await server.Services.GetRequiredService<IInstallationStore>().FindAsync(pluginId, "acme", Ct));
        Assert.Null(await server.Services.GetRequiredService<IMagmaKeyStore>().FindAsync("acme-bot", Ct));
    }

    [Theory]
    [InlineData("/admin/tenants/ghost", 404, "not_found")]
    [InlineData("/admin/tenants/x%2Fy", 404, "not_found")]
    [InlineData("/admin/tenants/-bad-", 404, "not_found")]
    public async Task Deleting_a_tenant_that_does_not_exist_is_404_and_changes_nothing(string path, int status, string error)
    {
        var (_, ninaToken) = await kit.MemberAsync("nina", "acme", "operator");

        using var response = await server.SendAsync(HttpMethod.Delete, path, kit.Admin);

        await ProblemAssert.IsProblemAsync(response, status, error);
        var listed = await AdminTenantIdsAsync();
        Assert.Contains("acme", listed);
        Assert.Contains("globex", listed);
        Assert.Equal(["acme"], await kit.TenantIdsAsync(ninaToken));
    }

    [Fact]
    public async Task Only_our_own_administrators_delete_a_tenant()
    {
        var (_, tenantAdmin) = await kit.MemberAsync("tina", "acme", "admin");
        var realmSecret = await server.CreateMagmaKeyAsync("acme-ops", """["data","management"]""", tenantId: "acme");
        var realmToken = await TokenOfAsync(await MagmaLoginAsync("acme-ops", realmSecret));

        foreach (var token in new[] { tenantAdmin, realmToken })
        {
            using var response = await server.SendAsync(HttpMethod.Delete, "/admin/tenants/acme", token);
            await ProblemAssert.IsProblemAsync(response, 403, "access_denied");
        }

        using var anonymous = await server.SendAsync(HttpMethod.Delete, "/admin/tenants/acme");
        await ProblemAssert.IsProblemAsync(anonymous, 401, "invalid_token");
        Assert.Contains("acme", await AdminTenantIdsAsync());
        Assert.Equal(["acme"], await kit.TenantIdsAsync(tenantAdmin));
    }
}
