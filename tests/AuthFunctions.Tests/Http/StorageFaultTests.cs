using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthFunctions.Tests.Http;

/// <summary>
/// Multi-row changes interrupted by a storage failure between their writes: nothing is granted that
/// was not asked for in full, and repeating the request completes it. The failure is injected in the
/// Table Storage pipeline of the running server, so every line of the real adapters runs.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageFaultTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly TableTraffic traffic = new();
    private LocalHostServer server = null!;
    private TenancyKit kit = null!;

    public async ValueTask InitializeAsync()
    {
        server = await LocalHostServer.StartAsync(
            azurite.ConnectionString,
            configure: builder => builder.Services.PostConfigureAll<TableClientOptions>(options => options.AddPolicy(traffic, HttpPipelinePosition.PerCall)));
        kit = new TenancyKit(server, await server.AdminTokenAsync());
        await kit.CreateTenantAsync("acme", "Acme Ltd");
    }

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    /// <summary>The rows of one of the server's tables, read outside its pipeline.</summary>
    private async Task<int> RowsInAsync(string table, string? partition = null)
    {
        var rows = 0;
        var filter = partition is null ? null : TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        await foreach (var _ in new TableClient(azurite.ConnectionString, server.TablePrefix + table).QueryAsync<TableEntity>(filter, cancellationToken: TestContext.Current.CancellationToken))
        {
            rows++;
        }

        return rows;
    }

    /// <summary>Writes of an install: the row as pending, the tenant's entry, the connection, the row as active.</summary>
    public static TheoryData<int> InstallWrites() => [1, 2, 3, 4];

    [Theory]
    [MemberData(nameof(InstallWrites))]
    public async Task An_install_interrupted_at_any_write_grants_nothing_and_a_retry_completes_it(int failingWrite)
    {
        var (pluginId, pluginToken) = await kit.CreatePluginAsync("Widget");
        var plugin = TenancyKit.Plugin(pluginId, pluginToken);

        traffic.FailWrite(failingWrite);
        using var interrupted = await server.SendAsync(HttpMethod.Put, $"/tenants/acme/plugins/{pluginId}", kit.Admin);
        await ProblemAssert.IsProblemAsync(interrupted, 503, "service_unavailable");
        Assert.Equal(failingWrite, traffic.WritesSinceArmed);

        Assert.Empty(await kit.TenantIdsAsync(plugin));
        using var installations = await server.SendAsync(HttpMethod.Get, $"/plugins/{pluginId}/installations", plugin);
        Assert.Equal(0, (await TenancyKit.JsonAsync(installations, HttpStatusCode.OK)).GetArrayLength());
        Assert.Empty(await InstalledInAcmeAsync());

        var (connectionId, connectionToken) = await kit.InstallAsync(kit.Admin, "acme", pluginId);
        Assert.Equal(["acme"], await kit.TenantIdsAsync(plugin));
        Assert.Equal(["acme"], await kit.TenantIdsAsync(TenancyKit.Connection(connectionId, connectionToken)));
        Assert.Equal(1, await RowsInAsync("pluginconnections"));
        Assert.Equal([pluginId], await InstalledInAcmeAsync());
        Assert.Equal(1, await RowsInAsync("tenantplugins"));
    }

    /// <summary>The plugin ids <c>GET /tenants/acme/plugins</c> shows the administrator.</summary>
    private async Task<string[]> InstalledInAcmeAsync()
    {
        using var response = await server.SendAsync(HttpMethod.Get, "/tenants/acme/plugins", kit.Admin);
        return [.. (await TenancyKit.JsonAsync(response, HttpStatusCode.OK)).EnumerateArray().Select(p => p.GetProperty("pluginId").GetString()!)];
    }

    /// <summary>Writes of an uninstall: the row marked removing, the connection deleted, the tenant's entry deleted, the row deleted.</summary>
    public static TheoryData<int> UninstallWrites() => [1, 2, 3, 4];

    [Theory]
    [MemberData(nameof(UninstallWrites))]
    public async Task An_uninstall_interrupted_at_any_write_leaves_the_plugin_out_of_the_tenant_listing_and_a_retry_removes_every_row(int failingWrite)
    {
        var (pluginId, _) = await kit.CreatePluginAsync("Widget");
        await kit.InstallAsync(kit.Admin, "acme", pluginId);

        traffic.FailWrite(failingWrite);
        using var interrupted = await server.SendAsync(HttpMethod.Delete, $"/tenants/acme/plugins/{pluginId}", kit.Admin);
        await ProblemAssert.IsProblemAsync(interrupted, 503, "service_unavailable");
        Assert.Equal(failingWrite == 1 ? [pluginId] : [], await InstalledInAcmeAsync());

        // The row goes last, so a retry finds it and completes the uninstall.
        using var retried = await server.SendAsync(HttpMethod.Delete, $"/tenants/acme/plugins/{pluginId}", kit.Admin);
        Assert.Equal(HttpStatusCode.NoContent, retried.StatusCode);
        Assert.Equal(0, await RowsInAsync("installations"));
        Assert.Equal(0, await RowsInAsync("tenantplugins"));
        Assert.Equal(0, await RowsInAsync("pluginconnections"));
    }

    [Fact]
    public async Task An_uninstall_interrupted_after_its_first_write_has_already_ended_the_connection()
    {
        var (pluginId, pluginToken) = await kit.CreatePluginAsync("Widget");
        var (connectionId, connectionToken) = await kit.InstallAsync(kit.Admin, "acme", pluginId);
        var connection = TenancyKit.Connection(connectionId, connectionToken);

        traffic.FailWrite(2);
        using var interrupted = await server.SendAsync(HttpMethod.Delete, $"/tenants/acme/plugins/{pluginId}", kit.Admin);
        await ProblemAssert.IsProblemAsync(interrupted, 503, "service_unavailable");

        using var dead = await server.SendAsync(HttpMethod.Get, "/tenants", connection);
        await ProblemAssert.IsProblemAsync(dead, 401, "invalid_client");
        Assert.Empty(await kit.TenantIdsAsync(TenancyKit.Plugin(pluginId, pluginToken)));

        using var retried = await server.SendAsync(HttpMethod.Delete, $"/tenants/acme/plugins/{pluginId}", kit.Admin);
        Assert.Equal(HttpStatusCode.NoContent, retried.StatusCode);
        Assert.Equal(0, await RowsInAsync("pluginconnections"));
        Assert.Equal(0, await RowsInAsync("installations"));
    }

    [Fact]
    public async Task A_membership_interrupted_between_its_writes_grants_nothing_and_a_retry_completes_it()
    {
        var userId = await kit.CreateUserAsync("mia");

        traffic.FailWrite(2);
        using var interrupted = await server.SendAsync(HttpMethod.Put, $"/admin/tenants/acme/members/{userId}", kit.Admin, """{"role":"admin"}""");
        await ProblemAssert.IsProblemAsync(interrupted, 503, "service_unavailable");

        var token = await kit.LoginAsync("mia");
        Assert.Empty(await kit.TenantIdsAsync(token));
        using var tenantLogin = await kit.LoginResponseAsync("mia", TenancyKit.Password, "acme");
        await ProblemAssert.IsProblemAsync(tenantLogin, 403, "access_denied");
        using var install = await server.SendAsync(HttpMethod.Get, "/tenants/acme/magma-keys", token);
        await ProblemAssert.IsProblemAsync(install, 404, "not_found");

        await kit.SetMemberAsync("acme", userId, "admin");
        Assert.Equal(["acme"], await kit.TenantIdsAsync(token));
    }

    /// <summary>
    /// Writes of a removal: the cut-off's purge note and the cut-off, the grant deleted (3), note and
    /// cut-off again, the roster row deleted.
    /// </summary>
    public static TheoryData<int> RemovalWrites() => [1, 2, 3, 4, 5, 6];

    [Theory]
    [MemberData(nameof(RemovalWrites))]
    public async Task A_removal_interrupted_at_any_write_grants_nothing_new_and_a_retry_completes_it(int failingWrite)
    {
        var (userId, token) = await kit.MemberAsync("max", "acme", "admin");

        traffic.FailWrite(failingWrite);
        using var removal = await server.SendAsync(HttpMethod.Delete, $"/admin/tenants/acme/members/{userId}", kit.Admin);
        await ProblemAssert.IsProblemAsync(removal, 503, "service_unavailable");

        // Before the grant's deletion nothing has changed; from it on, the access is gone.
        Assert.Equal(failingWrite <= 3 ? ["acme"] : [], await kit.TenantIdsAsync(token));

        using var retried = await server.SendAsync(HttpMethod.Delete, $"/admin/tenants/acme/members/{userId}", kit.Admin);
        Assert.Equal(HttpStatusCode.NoContent, retried.StatusCode);
        Assert.Empty(await kit.TenantIdsAsync(token));
        Assert.Equal(0, await RowsInAsync("tenantmembers"));
        Assert.Equal(0, await RowsInAsync("usertenants"));
    }

    /// <summary>Writes of a demotion: note and cut-off, the grant replaced (3), note and cut-off again, the roster row replaced.</summary>
    public static TheoryData<int> DemotionWrites() => [1, 2, 3, 4, 5, 6];

    [Theory]
    [MemberData(nameof(DemotionWrites))]
    public async Task A_demotion_interrupted_at_any_write_never_leaves_more_than_admin_and_a_retry_completes_it(int failingWrite)
    {
        var (userId, token) = await kit.MemberAsync("max", "acme", "admin");
        var (pluginId, _) = await kit.CreatePluginAsync("Widget");

        traffic.FailWrite(failingWrite);
        using var demotion = await server.SendAsync(HttpMethod.Put, $"/admin/tenants/acme/members/{userId}", kit.Admin, """{"role":"operator"}""");
        await ProblemAssert.IsProblemAsync(demotion, 503, "service_unavailable");
        using var install = await server.SendAsync(HttpMethod.Put, $"/tenants/acme/plugins/{pluginId}", token);
        Assert.Equal(failingWrite <= 3 ? HttpStatusCode.Created : HttpStatusCode.Forbidden, install.StatusCode);

        await kit.SetMemberAsync("acme", userId, "operator");
        using var roster = await server.SendAsync(HttpMethod.Get, "/admin/tenants/acme/members", kit.Admin);
        Assert.Equal("operator", Assert.Single((await TenancyKit.JsonAsync(roster, HttpStatusCode.OK)).EnumerateArray()).GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_realm_key_deletion_interrupted_after_the_key_went_is_completed_by_a_retry()
    {
        var (_, token) = await kit.MemberAsync("kai", "acme", "admin");
        using var created = await server.SendAsync(HttpMethod.Post, "/tenants/acme/magma-keys", token, """{"name":"acme-chat","rights":["data"]}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // Writes: the cut-off's purge note, the key's cut-off, the key, then its listing row.
        traffic.FailWrite(4);
        using var interrupted = await server.SendAsync(HttpMethod.Delete, "/tenants/acme/magma-keys/acme-chat", token);
        await ProblemAssert.IsProblemAsync(interrupted, 503, "service_unavailable");
        Assert.Equal(1, await RowsInAsync("tenantmagmakeys", "acme"));

        using var retried = await server.SendAsync(HttpMethod.Delete, "/tenants/acme/magma-keys/acme-chat", token);
        Assert.Equal(HttpStatusCode.NoContent, retried.StatusCode);
        Assert.Equal(0, await RowsInAsync("tenantmagmakeys", "acme"));
        using var again = await server.SendAsync(HttpMethod.Delete, "/tenants/acme/magma-keys/acme-chat", token);
        await ProblemAssert.IsProblemAsync(again, 404, "not_found");
    }

    /// <summary>Whether <c>GET /tenants</c> shows <paramref name="tenant"/> to the caller (refused credentials show nothing).</summary>
    private async Task<bool> SeesAsync(AuthenticationHeaderValue authorization, string tenant)
    {
        using var response = await server.SendAsync(HttpMethod.Get, "/tenants", authorization);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return false;
        }

        var listed = await TenancyKit.JsonAsync(response, HttpStatusCode.OK);
        return listed.EnumerateArray().Any(t => t.GetProperty("id").GetString() == tenant);
    }

    [Fact]
    public async Task A_tenant_deletion_interrupted_at_any_write_leaves_the_tenant_unreachable_and_a_retry_completes_it()
    {
        var (pluginId, pluginToken) = await kit.CreatePluginAsync("Widget");
        var plugin = TenancyKit.Plugin(pluginId, pluginToken);
        var interruptions = 0;
        for (var failingWrite = 1; ; failingWrite++)
        {
            // A tenant that a realm key, a member's tenant login and a plugin connection reach.
            var tenant = $"doomed-{failingWrite}";
            await kit.CreateTenantAsync(tenant);
            var realmSecret = await server.CreateMagmaKeyAsync($"{tenant}-key", """["data"]""", tenantId: tenant);
            var realmToken = await kit.MagmaTokenAsync($"{tenant}-key", realmSecret);
            var (userId, _) = await kit.MemberAsync($"member-{failingWrite}", tenant, "admin");
            var tenantToken = await kit.LoginAsync($"member-{failingWrite}", tenant);
            var (connectionId, connectionToken) = await kit.InstallAsync(kit.Admin, tenant, pluginId);
            var connection = TenancyKit.Connection(connectionId, connectionToken);

            traffic.FailWrite(failingWrite);
            using var deletion = await server.SendAsync(HttpMethod.Delete, $"/admin/tenants/{tenant}", kit.Admin);
            if (deletion.StatusCode == HttpStatusCode.NoContent)
            {
                // Past the deletion's last write: every write has been interrupted once.
                traffic.FailWrite(0);
                Assert.True(failingWrite > 10, $"the deletion made only {failingWrite - 1} writes");
                break;
            }

            await ProblemAssert.IsProblemAsync(deletion, 503, "service_unavailable");
            interruptions++;
            if (failingWrite > 1)
            {
                // From the first write on, no tenant endpoint reaches the tenant. (A plugin's or a user's
                // listing, read from its own installation or membership rows, shows it until that
                // installation or membership is reached: the retry below finishes it.)
                Assert.False(await SeesAsync(new AuthenticationHeaderValue("Bearer", realmToken), tenant), $"write {failingWrite}: the realm key");
                Assert.False(await SeesAsync(connection, tenant), $"write {failingWrite}: the connection");
                using var roster = await server.SendAsync(HttpMethod.Get, $"/tenants/{tenant}/members", tenantToken);
                Assert.True(roster.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized, $"{failingWrite}: {roster.StatusCode}");
            }

            using var retried = await server.SendAsync(HttpMethod.Delete, $"/admin/tenants/{tenant}", kit.Admin);
            Assert.Equal(HttpStatusCode.NoContent, retried.StatusCode);
            foreach (var token in new[] { realmToken, tenantToken })
            {
                using var details = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", token);
                await ProblemAssert.IsProblemAsync(details, 401, "invalid_token");
            }

            using var dead = await server.SendAsync(HttpMethod.Get, "/tenants", connection);
            await ProblemAssert.IsProblemAsync(dead, 401, "invalid_client");
            Assert.DoesNotContain(tenant, await kit.TenantIdsAsync(plugin));
            Assert.Equal(0, await RowsInAsync("tenants", tenant));
            Assert.Equal(0, await RowsInAsync("tenantmembers", tenant));
            Assert.Equal(0, await RowsInAsync("tenantmagmakeys", tenant));
            Assert.Equal(0, await RowsInAsync("usertenants", userId));
            Assert.Equal(0, await RowsInAsync("pluginconnections", connectionId));
            Assert.Equal(0, await RowsInAsync("tenantplugins", tenant));
        }

        Assert.True(interruptions > 10);
    }

    [Fact]
    public async Task A_plugin_deletion_interrupted_at_any_write_leaves_nothing_usable_and_a_retry_completes_it()
    {
        await kit.CreateTenantAsync("globex");
        for (var failingWrite = 1; ; failingWrite++)
        {
            var (pluginId, pluginToken) = await kit.CreatePluginAsync($"Widget {failingWrite}");
            var plugin = TenancyKit.Plugin(pluginId, pluginToken);
            var (acmeId, acmeToken) = await kit.InstallAsync(kit.Admin, "acme", pluginId);
            var (globexId, globexToken) = await kit.InstallAsync(kit.Admin, "globex", pluginId);

            traffic.FailWrite(failingWrite);
            using var deletion = await server.SendAsync(HttpMethod.Delete, $"/admin/plugins/{pluginId}", kit.Admin);
            if (deletion.StatusCode == HttpStatusCode.NoContent)
            {
                traffic.FailWrite(0);
                Assert.True(failingWrite > 7, $"the deletion made only {failingWrite - 1} writes");
                break;
            }

            await ProblemAssert.IsProblemAsync(deletion, 503, "service_unavailable");
            if (failingWrite > 1)
            {
                // The first write disabled it: its token and both connections are refused.
                foreach (var authorization in new[] { plugin, TenancyKit.Connection(acmeId, acmeToken), TenancyKit.Connection(globexId, globexToken) })
                {
                    using var refused = await server.SendAsync(HttpMethod.Get, "/tenants", authorization);
                    await ProblemAssert.IsProblemAsync(refused, 401, "invalid_client");
                }
            }

            using var retried = await server.SendAsync(HttpMethod.Delete, $"/admin/plugins/{pluginId}", kit.Admin);
            Assert.Equal(HttpStatusCode.NoContent, retried.StatusCode);
            Assert.Equal(0, await RowsInAsync("plugins", pluginId));
            Assert.Equal(0, await RowsInAsync("installations", pluginId));
            Assert.Equal(0, await RowsInAsync("tenantplugins"));
            Assert.Equal(0, await RowsInAsync("pluginconnections", acmeId));
            Assert.Equal(0, await RowsInAsync("pluginconnections", globexId));
        }
    }

    [Fact]
    public async Task Every_direction_of_every_relation_is_a_point_read_or_a_single_partition_query()
    {
        var (_, token) = await kit.MemberAsync("lee", "acme", "admin");
        var (pluginId, pluginToken) = await kit.CreatePluginAsync("Widget");
        var (connectionId, connectionToken) = await kit.InstallAsync(token, "acme", pluginId);

        traffic.Record();
        Assert.Equal(["acme"], await kit.TenantIdsAsync(token));
        Assert.Equal(["acme"], await kit.TenantIdsAsync(TenancyKit.Plugin(pluginId, pluginToken)));
        Assert.Equal(["acme"], await kit.TenantIdsAsync(TenancyKit.Connection(connectionId, connectionToken)));
        using var members = await server.SendAsync(HttpMethod.Get, "/admin/tenants/acme/members", kit.Admin);
        using var keys = await server.SendAsync(HttpMethod.Get, "/tenants/acme/magma-keys", token);
        using var plugins = await server.SendAsync(HttpMethod.Get, "/tenants/acme/plugins", token);
        Assert.Equal(HttpStatusCode.OK, plugins.StatusCode);
        var reads = traffic.Recorded();

        Assert.NotEmpty(reads);
        Assert.All(reads, read => Assert.True(
            read.Contains("PartitionKey='", StringComparison.Ordinal)
            || read.Contains("$filter=PartitionKey%20eq%20", StringComparison.Ordinal)
            || read.Contains("$filter=%28PartitionKey%20eq%20", StringComparison.Ordinal),
            $"not a point read nor a partition query: {read}"));
        foreach (var table in new[] { "usertenants", "installations", "tenantmembers", "tenantmagmakeys", "tenantplugins" })
        {
            Assert.Contains(reads, read => read.Contains("/" + server.TablePrefix + table + "()?", StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// Sees every request the server makes to Table Storage: records reads on demand, and fails the
    /// n-th entity write (insert, update, delete; not table creation) after being armed, with a 503.
    /// </summary>
    private sealed class TableTraffic : HttpPipelinePolicy
    {
        private readonly ConcurrentQueue<string> recorded = new();
        private int failAt;
        private int writes;
        private bool recording;

        public int WritesSinceArmed => Volatile.Read(ref writes);

        public void FailWrite(int n)
        {
            Volatile.Write(ref writes, 0);
            Volatile.Write(ref failAt, n);
        }

        public void Record()
        {
            recorded.Clear();
            recording = true;
        }

        public IReadOnlyList<string> Recorded()
        {
            recording = false;
            return [.. recorded.Where(r => !r.Contains("/Tables", StringComparison.Ordinal))];
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Check(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Check(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void Check(HttpMessage message)
        {
            var request = message.Request;
            var uri = request.Uri.ToUri();
            var isTableCreation = uri.AbsolutePath.EndsWith("/Tables", StringComparison.Ordinal);
            if (request.Method == RequestMethod.Get)
            {
                if (recording)
                {
                    recorded.Enqueue(uri.PathAndQuery);
                }

                return;
            }

            if (isTableCreation || Volatile.Read(ref failAt) == 0)
            {
                return;
            }

            if (Interlocked.Increment(ref writes) == Volatile.Read(ref failAt))
            {
                Volatile.Write(ref failAt, 0);
                throw new RequestFailedException(503, "Injected: storage failed this write.");
            }
        }
    }
}
