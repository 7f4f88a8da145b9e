using System.Globalization;
using System.Net;
using AuthFunctions.Core.Users;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthFunctions.Tests.Http;

/// <summary>Disabling or deleting a user ends every live token of it at once, without a scan.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class UserLifecycleTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private LocalHostServer server = null!;
    private TenancyKit kit = null!;

    public async ValueTask InitializeAsync()
    {
        server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        kit = new TenancyKit(server, await server.AdminTokenAsync());
        await kit.CreateTenantAsync("acme");
    }

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    private async Task<string> ApiTokenAsync(string userId)
    {
        var expiresAt = DateTimeOffset.UtcNow.AddDays(30).ToString("o", CultureInfo.InvariantCulture);
        using var created = await server.SendAsync(HttpMethod.Post, "/rs/tokens", kit.Admin, $$"""{"userId":"{{userId}}","expiresAt":"{{expiresAt}}"}""");
        return (await TenancyKit.JsonAsync(created, HttpStatusCode.Created)).GetProperty("accessToken").GetString()!;
    }

    private async Task<HttpStatusCode> StatusOfAsync(string token)
    {
        using var response = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", token);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_disabled_user_loses_its_password_and_api_tokens_at_once_and_enabling_it_revives_none()
    {
        var (userId, password) = await kit.MemberAsync("dora", "acme", "operator");
        var scoped = await kit.LoginAsync("dora", tenant: "acme");
        var api = await ApiTokenAsync(userId);

        using var disabled = await server.SendAsync(HttpMethod.Patch, $"/admin/users/{userId}", kit.Admin, """{"enabled":false}""");
        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);

        Assert.All(await Task.WhenAll(StatusOfAsync(password), StatusOfAsync(scoped), StatusOfAsync(api)), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        using var login = await kit.LoginResponseAsync("dora", TenancyKit.Password, null);
        await ProblemAssert.IsProblemAsync(login, 401, "invalid_grant");

        using var listed = await server.SendAsync(HttpMethod.Get, $"/rs/tokens?userId={userId}", kit.Admin);
        Assert.False(Assert.Single((await TenancyKit.JsonAsync(listed, HttpStatusCode.OK)).EnumerateArray()).GetProperty("active").GetBoolean());

        using var enabled = await server.SendAsync(HttpMethod.Patch, $"/admin/users/{userId}", kit.Admin, """{"enabled":true}""");
        Assert.Equal(HttpStatusCode.NoContent, enabled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(await kit.LoginAsync("dora")));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfAsync(password));

        using var noBody = await server.SendAsync(HttpMethod.Patch, $"/admin/users/{userId}", kit.Admin, "{}");
        await ProblemAssert.IsProblemAsync(noBody, 400, "invalid_request");
        using var ghost = await server.SendAsync(HttpMethod.Patch, "/admin/users/u_ghost", kit.Admin, """{"enabled":false}""");
        await ProblemAssert.IsProblemAsync(ghost, 404, "not_found");
    }

    [Fact]
    public async Task A_deleted_user_loses_its_tokens_and_memberships_and_frees_its_username()
    {
        var (userId, password) = await kit.MemberAsync("del", "acme", "admin");
        var api = await ApiTokenAsync(userId);

        using var deleted = await server.SendAsync(HttpMethod.Delete, $"/admin/users/{userId}", kit.Admin);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfAsync(password));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfAsync(api));
        using var roster = await server.SendAsync(HttpMethod.Get, "/admin/tenants/acme/members", kit.Admin);
        Assert.Equal(0, (await TenancyKit.JsonAsync(roster, HttpStatusCode.OK)).GetArrayLength());
        Assert.Null(await server.Services.GetRequiredService<IUserStore>().FindByIdAsync(userId, TestContext.Current.CancellationToken));
        Assert.NotEqual(userId, await kit.CreateUserAsync("DEL"));
        using var again = await server.SendAsync(HttpMethod.Delete, $"/admin/users/{userId}", kit.Admin);
        await ProblemAssert.IsProblemAsync(again, 404, "not_found");

        var adminId = (await server.Services.GetRequiredService<IUserStore>().FindByUsernameAsync("admin", TestContext.Current.CancellationToken))!.Id;
        using var self = await server.SendAsync(HttpMethod.Delete, $"/admin/users/{adminId}", kit.Admin);
        await ProblemAssert.IsProblemAsync(self, 400, "invalid_request");
    }
}
