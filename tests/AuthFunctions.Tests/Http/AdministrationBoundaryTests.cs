using System.Globalization;
using System.Net;
using System.Text.Json;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Users;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthFunctions.Tests.Http;

/// <summary>
/// Who administers us: only a super user touches a super user, and our own <c>/admin/*</c> answers only
/// our own principals (a password login or a magma key), never a token another system vouches for.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AdministrationBoundaryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LocalHostServer server = null!;
    private TenancyKit kit = null!;
    private string superUserId = null!;

    public async ValueTask InitializeAsync()
    {
        server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        kit = new TenancyKit(server, await server.AdminTokenAsync());
        using var details = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", kit.Admin);
        superUserId = (await TenancyKit.JsonAsync(details, HttpStatusCode.OK)).GetProperty("sub").GetString()!;
    }

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    /// <summary>A password token of a user holding administration who is not a super user.</summary>
    private async Task<string> DeputyAsync()
    {
        await kit.CreateUserAsync("deputy", """["administration"]""");
        return await kit.LoginAsync("deputy");
    }

    public static TheoryData<string, string, string?> ChangesToASuperUser() => new()
    {
        { "PATCH", "/admin/users/{super}", """{"password":"taken-over-password-1"}""" },
        { "PATCH", "/admin/users/{super}", """{"enabled":false}""" },
        { "PATCH", "/admin/users/{super}", """{"name":"Renamed"}""" },
        { "DELETE", "/admin/users/{super}", null },
        { "POST", "/admin/users", """{"username":"second-root","password":"second-root-password","name":"Root","superUser":true}""" },
    };

    [Theory]
    [MemberData(nameof(ChangesToASuperUser))]
    public async Task An_administrator_who_is_no_super_user_may_not_make_change_or_remove_one_and_nothing_changes(string method, string path, string? body)
    {
        var deputy = await DeputyAsync();

        using var response = await server.SendAsync(new HttpMethod(method), path.Replace("{super}", superUserId, StringComparison.Ordinal), deputy, body);

        await ProblemAssert.IsProblemAsync(response, 403, "access_denied");
        using var login = await server.PasswordLoginAsync("admin", LocalHostServer.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        using var listed = await server.SendAsync(HttpMethod.Get, "/admin/users?username=second-root", kit.Admin);
        Assert.Equal(0, (await TenancyKit.JsonAsync(listed, HttpStatusCode.OK)).GetArrayLength());
        using var me = await server.SendAsync(HttpMethod.Get, $"/admin/users?username=admin", kit.Admin);
        var admin = Assert.Single((await TenancyKit.JsonAsync(me, HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal(("Super user", true), (admin.GetProperty("name").GetString(), admin.GetProperty("enabled").GetBoolean()));
    }

    [Fact]
    public async Task A_super_user_may_make_and_change_another_and_the_deputy_still_runs_ordinary_users()
    {
        using var created = await server.SendAsync(HttpMethod.Post, "/admin/users", kit.Admin, """{"username":"second-root","password":"second-root-password","name":"Root","superUser":true}""");
        var id = (await TenancyKit.JsonAsync(created, HttpStatusCode.Created)).GetProperty("id").GetString();
        using var renamed = await server.SendAsync(HttpMethod.Patch, $"/admin/users/{id}", kit.Admin, """{"name":"Root Two"}""");
        Assert.Equal(HttpStatusCode.NoContent, renamed.StatusCode);

        var deputy = await DeputyAsync();
        var ordinary = await kit.CreateUserAsync("ordinary");
        using var reset = await server.SendAsync(HttpMethod.Patch, $"/admin/users/{ordinary}", deputy, """{"password":"a-new-long-password"}""");
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
    }

    /// <summary>Tokens of ours that carry administration but come from elsewhere, or are long-lived API tokens.</summary>
    public static TheoryData<string> ForeignAdministrationTokens() => ["delegated", "api_token"];

    [Theory]
    [MemberData(nameof(ForeignAdministrationTokens))]
    public async Task Our_admin_api_refuses_a_delegated_or_API_token_whatever_rights_it_carries(string kind)
    {
        string token;
        if (kind == "delegated")
        {
            var secret = await server.CreateMagmaKeyAsync("trusted-server", """["administration","authenticate"]""");
            using var login = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: JsonSerializer.Serialize(new
            {
                magmaName = "trusted-server",
                secret,
                user = new { id = "42", name = "Eve", allowAdministration = true },
            }));
            token = (await TenancyKit.JsonAsync(login, HttpStatusCode.OK)).GetProperty("accessToken").GetString()!;
        }
        else
        {
            var expiresAt = DateTimeOffset.UtcNow.AddDays(30).ToString("o", CultureInfo.InvariantCulture);
            using var created = await server.SendAsync(HttpMethod.Post, "/rs/tokens", kit.Admin, $$"""{"userId":"{{superUserId}}","expiresAt":"{{expiresAt}}"}""");
            token = (await TenancyKit.JsonAsync(created, HttpStatusCode.Created)).GetProperty("accessToken").GetString()!;
        }

        using var details = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", token);
        Assert.Contains("administration", (await TenancyKit.JsonAsync(details, HttpStatusCode.OK)).GetProperty("rights").EnumerateArray().Select(r => r.GetString()));
        using var listing = await server.SendAsync(HttpMethod.Get, "/admin/users", token);
        using var creating = await server.SendAsync(HttpMethod.Post, "/admin/tenants", token, """{"id":"sneaky","name":"Sneaky"}""");

        await ProblemAssert.IsProblemAsync(listing, 403, "access_denied");
        await ProblemAssert.IsProblemAsync(creating, 403, "access_denied");
        using var tenants = await server.SendAsync(HttpMethod.Get, "/admin/tenants", kit.Admin);
        Assert.DoesNotContain("sneaky", await tenants.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\u0430dmin")]
    [InlineData("\u0440aypal")]
    public async Task A_new_username_that_mixes_look_alike_scripts_is_400_naming_the_rule_and_nothing_is_created(string username)
    {
        using var created = await server.SendAsync(HttpMethod.Post, "/admin/users", kit.Admin, JsonSerializer.Serialize(new { username, password = "a-long-enough-password", name = "Look-alike" }));

        var problem = await ProblemAssert.IsProblemAsync(created, 400, "invalid_request");
        Assert.Equal(UsernameScripts.Rule, problem.GetProperty("detail").GetString());
        using var login = await server.PasswordLoginAsync(username, "a-long-enough-password");
        await ProblemAssert.IsProblemAsync(login, 401, "invalid_grant");
    }

    [Fact]
    public async Task An_existing_user_whose_name_mixes_scripts_keeps_logging_in()
    {
        // Stored as a user made before the rule existed.
        var hashing = server.Services.GetRequiredService<PasswordHashing>();
        await server.Services.GetRequiredService<IUserStore>().AddAsync(
            new User
            {
                Id = Identifiers.NewId("u_"),
                Username = "\u0430lexei-ops",
                PasswordHash = hashing.Hash("an-old-long-password"),
                DisplayName = "Alexei",
                Rights = Rights.Data,
                CreatedAt = DateTimeOffset.UtcNow,
            },
            Ct);

        using var login = await server.PasswordLoginAsync("\u0430lexei-ops", "an-old-long-password");

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task A_magma_key_of_ours_holding_administration_still_administers()
    {
        var secret = await server.CreateMagmaKeyAsync("ops-automation", """["administration"]""");
        var token = await kit.MagmaTokenAsync("ops-automation", secret);

        using var listing = await server.SendAsync(HttpMethod.Get, "/admin/users", token);

        Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
    }
}
