using System.Buffers.Text;
using System.Net;
using AuthFunctions.Tests.Infrastructure;

namespace AuthFunctions.Tests.Http;

/// <summary>Concurrent tenancy changes over real HTTP and Azurite: they converge, and nothing is granted unseen.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TenancyRaceTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private LocalHostServer server = null!;
    private TenancyKit kit = null!;

    public async ValueTask InitializeAsync()
    {
        server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        kit = new TenancyKit(server, await server.AdminTokenAsync());
        await kit.CreateTenantAsync("acme", "Acme Ltd");
    }

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Of_concurrent_installs_exactly_one_succeeds_and_its_connection_works()
    {
        for (var round = 0; round < 3; round++)
        {
            var (pluginId, pluginToken) = await kit.CreatePluginAsync("Racer " + round);

            var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => server.SendAsync(HttpMethod.Put, $"/tenants/acme/plugins/{pluginId}", kit.Admin)));

            var winners = attempts.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
            Assert.All(attempts, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
            var winner = await TenancyKit.JsonAsync(Assert.Single(winners), HttpStatusCode.Created);
            var connection = TenancyKit.Connection(winner.GetProperty("pluginConnectionId").GetString()!, winner.GetProperty("pluginConnectionToken").GetString()!);
            Assert.Equal(["acme"], await kit.TenantIdsAsync(connection));
            Assert.Equal(["acme"], await kit.TenantIdsAsync(TenancyKit.Plugin(pluginId, pluginToken)));
            foreach (var response in attempts)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task Concurrent_additions_and_removals_of_a_member_end_with_the_roster_showing_every_grant()
    {
        var userId = await kit.CreateUserAsync("racer");
        var token = await kit.LoginAsync("racer");

        for (var round = 0; round < 5; round++)
        {
            var changes = Enumerable.Range(0, 6).Select(i => (i % 3) switch
            {
                0 => server.SendAsync(HttpMethod.Put, $"/admin/tenants/acme/members/{userId}", kit.Admin, """{"role":"admin"}"""),
                1 => server.SendAsync(HttpMethod.Put, $"/admin/tenants/acme/members/{userId}", kit.Admin, """{"role":"operator"}"""),
                _ => server.SendAsync(HttpMethod.Delete, $"/admin/tenants/acme/members/{userId}", kit.Admin),
            });
            foreach (var response in await Task.WhenAll(changes))
            {
                Assert.True(response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotFound or HttpStatusCode.Conflict, $"{response.StatusCode}");
                response.Dispose();
            }

            using var tenants = await server.SendAsync(HttpMethod.Get, "/tenants", token);
            var granted = (await TenancyKit.JsonAsync(tenants, HttpStatusCode.OK)).EnumerateArray().Select(t => t.GetProperty("role").GetString()).ToList();
            using var roster = await server.SendAsync(HttpMethod.Get, "/admin/tenants/acme/members", kit.Admin);
            var listed = (await TenancyKit.JsonAsync(roster, HttpStatusCode.OK)).EnumerateArray().Select(m => m.GetProperty("role").GetString()).ToList();
            Assert.Equal(granted, listed);
        }
    }

    [Fact]
    public async Task A_continuation_token_with_its_position_changed_is_refused()
    {
        var userId = await kit.CreateUserAsync("pager");
        foreach (var id in new[] { "t1", "t2", "t3" })
        {
            await kit.CreateTenantAsync(id);
            await kit.SetMemberAsync(id, userId, "operator");
        }

        var token = await kit.LoginAsync("pager");
        using var first = await server.SendAsync(HttpMethod.Get, "/tenants?limit=1", token);
        var continuation = first.Headers.GetValues("Continuation-Token").Single();
        var bytes = Base64Url.DecodeFromChars(continuation);
        bytes[^1] = (byte)'0';

        using var forged = await server.SendAsync(HttpMethod.Get, $"/tenants?continuationToken={Base64Url.EncodeToString(bytes)}", token);
        await ProblemAssert.IsProblemAsync(forged, 400, "invalid_request");
        using var genuine = await server.SendAsync(HttpMethod.Get, $"/tenants?continuationToken={continuation}", token);
        Assert.Equal(2, (await TenancyKit.JsonAsync(genuine, HttpStatusCode.OK)).GetArrayLength());
    }

    [Fact]
    public async Task Tenant_ids_in_paths_compare_as_names_do_in_any_case_and_width()
    {
        var (userId, token) = await kit.MemberAsync("wide", "acme", "admin");
        var (pluginId, _) = await kit.CreatePluginAsync("Wide");

        using var set = await server.SendAsync(HttpMethod.Put, $"/admin/tenants/%EF%BC%A1cme/members/{userId}", kit.Admin, """{"role":"admin"}""");
        Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        var installed = await kit.InstallAsync(token, "ACME", pluginId);
        using var again = await server.SendAsync(HttpMethod.Put, $"/tenants/acme/plugins/{pluginId}", token);
        await ProblemAssert.IsProblemAsync(again, 409, "conflict");
        Assert.Equal(["acme"], await kit.TenantIdsAsync(TenancyKit.Connection(installed.Id, installed.Token)));
        using var members = await server.SendAsync(HttpMethod.Get, "/admin/tenants/ACME/members", kit.Admin);
        Assert.Equal(1, (await TenancyKit.JsonAsync(members, HttpStatusCode.OK)).GetArrayLength());
    }
}
