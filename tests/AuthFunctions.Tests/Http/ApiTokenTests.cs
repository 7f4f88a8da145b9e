using System.Globalization;
using System.Net;
using AuthFunctions.Tests.Infrastructure;

namespace AuthFunctions.Tests.Http;

/// <summary><c>/rs/tokens</c>: long-lived API tokens generated for users, listed without the token, revoked at once.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApiTokenTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private LocalHostServer server = null!;
    private TenancyKit kit = null!;

    public async ValueTask InitializeAsync()
    {
        server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        kit = new TenancyKit(server, await server.AdminTokenAsync());
    }

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    private static string In(TimeSpan span) => DateTimeOffset.UtcNow.Add(span).ToString("o", CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_api_token_works_until_it_is_deleted_and_its_listing_never_shows_the_token()
    {
        var userId = await kit.CreateUserAsync("terry", """["data","statistics"]""");
        var expiresAt = In(TimeSpan.FromDays(90));

        using var created = await server.SendAsync(HttpMethod.Post, "/rs/tokens", kit.Admin, $$"""{"userId":"{{userId}}","description":"CI publisher","expiresAt":"{{expiresAt}}"}""");
        var body = await TenancyKit.JsonAsync(created, HttpStatusCode.Created);
        Assert.Equal("no-store", created.Headers.CacheControl?.ToString());
        var (id, token) = (body.GetProperty("id").GetString()!, body.GetProperty("accessToken").GetString()!);
        Assert.InRange(body.GetProperty("expiresAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddDays(90).AddMinutes(-1), DateTimeOffset.Parse(expiresAt, CultureInfo.InvariantCulture));

        using var details = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", token);
        var claims = await TenancyKit.JsonAsync(details, HttpStatusCode.OK);
        Assert.Equal((userId, "api_token", id), (claims.GetProperty("sub").GetString(), claims.GetProperty("grant").GetString(), claims.GetProperty("jti").GetString()));
        Assert.Equal("""["data","statistics"]""", claims.GetProperty("rights").GetRawText());

        using var listed = await server.SendAsync(HttpMethod.Get, $"/rs/tokens?userId={userId}", kit.Admin);
        var text = await listed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        var entry = Assert.Single(System.Text.Json.JsonDocument.Parse(text).RootElement.EnumerateArray());
        Assert.Equal((id, "CI publisher", userId, true), (entry.GetProperty("id").GetString(), entry.GetProperty("description").GetString(), entry.GetProperty("userId").GetString(), entry.GetProperty("active").GetBoolean()));

        using var deleted = await server.SendAsync(HttpMethod.Delete, $"/rs/tokens/{id}", kit.Admin);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var dead = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", token);
        await ProblemAssert.IsProblemAsync(dead, 401, "invalid_token");
        using var empty = await server.SendAsync(HttpMethod.Get, $"/rs/tokens?userId={userId}", kit.Admin);
        Assert.Equal(0, (await TenancyKit.JsonAsync(empty, HttpStatusCode.OK)).GetArrayLength());
        using var again = await server.SendAsync(HttpMethod.Delete, $"/rs/tokens/{id}", kit.Admin);
        await ProblemAssert.IsProblemAsync(again, 404, "not_found");
    }

    [Fact]
    public async Task Bad_requests_for_api_tokens_change_nothing()
    {
        var userId = await kit.CreateUserAsync("tess");
        foreach (var json in new[]
        {
            $$"""{"userId":"{{userId}}","expiresAt":"{{In(TimeSpan.FromDays(366))}}"}""",
            $$"""{"userId":"{{userId}}","expiresAt":"{{In(TimeSpan.FromDays(-1))}}"}""",
            $$"""{"userId":"{{userId}}"}""",
            $$"""{"userId":"{{userId}}","expiresAt":"{{In(TimeSpan.FromDays(1))}}","description":"{{new string('d', 201)}}"}""",
        })
        {
            using var refused = await server.SendAsync(HttpMethod.Post, "/rs/tokens", kit.Admin, json);
            await ProblemAssert.IsProblemAsync(refused, 400, "invalid_request");
        }

        using var noUser = await server.SendAsync(HttpMethod.Post, "/rs/tokens", kit.Admin, $$"""{"userId":"u_nobody","expiresAt":"{{In(TimeSpan.FromDays(1))}}"}""");
        await ProblemAssert.IsProblemAsync(noUser, 404, "not_found");
        using var noQuery = await server.SendAsync(HttpMethod.Get, "/rs/tokens", kit.Admin);
        await ProblemAssert.IsProblemAsync(noQuery, 400, "invalid_request");
        var notAdmin = await kit.LoginAsync("tess");
        using var forbidden = await server.SendAsync(HttpMethod.Post, "/rs/tokens", notAdmin, $$"""{"userId":"{{userId}}","expiresAt":"{{In(TimeSpan.FromDays(1))}}"}""");
        await ProblemAssert.IsProblemAsync(forbidden, 403, "access_denied");

        using var listed = await server.SendAsync(HttpMethod.Get, $"/rs/tokens?userId={userId}", kit.Admin);
        Assert.Equal(0, (await TenancyKit.JsonAsync(listed, HttpStatusCode.OK)).GetArrayLength());
    }
}
